/** The playground page. */
export function renderPlayground(): string {
  return "<!doctype html><title>aoai-edge</title>";
}
