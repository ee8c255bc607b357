// Pythons for the tests: a virtual environment per requirements file, kept in the toolchain's
// cache folder and made once per version of that file (PyPI is reached only then).
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { ROOT } from "./plan";

/** The python of a virtual environment with exactly what `requirements` (a path from the repository's root) pins. */
export function pythonWith(requirements: string): string {
  const file = join(ROOT, requirements);
  const key = createHash("sha256").update(readFileSync(file)).digest("hex").slice(0, 16);
  const cache = process.env.INFRA_TOOLCHAIN_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), ".cache"), "infra-toolchain");
  const venv = join(cache, `python-${key}`);
  const python = join(venv, "bin", "python");
  if (!existsSync(join(venv, "complete"))) {
    execFileSync("python3", ["-m", "venv", "--clear", venv], { stdio: "inherit" });
    execFileSync(python, ["-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-r", file], { stdio: "inherit" });
    writeFileSync(join(venv, "complete"), "");
  }
  return python;
}

/** The `pulumi` package from PyPI at the version examples/python/requirements.txt pins (and pytest). */
export const pythonWithPulumi = (): string => pythonWith("examples/python/requirements.txt");
