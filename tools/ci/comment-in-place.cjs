// A pull request comment written once and then updated in place: the body's first line (an HTML
// comment) is its marker. Used by the workflows through actions/github-script:
//   await require("./tools/ci/comment-in-place.cjs")({ github, context }, fs.readFileSync(FILE, "utf8"));
module.exports = async function commentInPlace({ github, context }, body) {
  const marker = body.split("\n")[0];
  const { owner, repo } = context.repo;
  const issue_number = context.payload.pull_request.number;
  const comments = await github.paginate(github.rest.issues.listComments, { owner, repo, issue_number });
  const mine = comments.find((c) => c.body && c.body.startsWith(marker));
  if (mine) await github.rest.issues.updateComment({ owner, repo, comment_id: mine.id, body });
  else await github.rest.issues.createComment({ owner, repo, issue_number, body });
};
