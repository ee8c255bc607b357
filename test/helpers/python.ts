// A Python with the `pulumi` package from PyPI at the version examples/python/requirements.txt
// pins (and pytest): a virtual environment kept in the toolchain's cache folder, made once per
// version of that file.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { ROOT } from "./plan";

export function pythonWithPulumi(): string {
  const requirements = join(ROOT, "examples", "python", "requirements.txt");
  const key = createHash("sha256").update(readFileSync(requirements)).digest("hex").slice(0, 16);
  const cache = process.env.INFRA_TOOLCHAIN_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), ".cache"), "infra-toolchain");
  const venv = join(cache, `python-${key}`);
  const python = join(venv, "bin", "python");
  if (!existsSync(join(venv, "complete"))) {
    execFileSync("python3", ["-m", "venv", "--clear", venv], { stdio: "inherit" });
    execFileSync(python, ["-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-r", requirements], { stdio: "inherit" });
    writeFileSync(join(venv, "complete"), "");
  }
  return python;
}
