import { PabulibError, Problems } from './errors';
import { rowOf } from './fields';
import { Column, MetaKey, type PabulibInstance, Section } from './instance';

/** How lines end in a written file: LF by default, CRLF for tools that want it. */
export type LineEnd = '\n' | '\r\n';

/**
 * The `.pb` text of an instance: META, PROJECTS and VOTES with the columns in
 * the instance's order, so that {@link parsePabulib} reads back an equal
 * instance. The `budget` and `vote_type` rows carry the typed fields (added at
 * the end of META if the map lacks them), so a changed budget is written as changed.
 *
 * @throws PabulibError for what no `.pb` file can hold: a field with a line
 *   break, or a project id with a comma (votes separate ids with commas);
 *   `line` is the line of the output where it would have gone.
 * @example await writeFile('out.pb', writePabulib(instance));
 */
export function writePabulib(instance: PabulibInstance, lineEnd: LineEnd = '\n'): string {
  const head = writePabulibHead(instance, lineEnd);
  return head.text + writePabulibVotes(instance, instance.ballots, head.lines + 1, lineEnd);
}

/**
 * The head of a `.pb` file: META, PROJECTS and the VOTES section's two first
 * lines; with {@link writePabulibVotes} it writes a file a page at a time, the
 * pages concatenated being exactly {@link writePabulib}'s text.
 * @returns the text and how many lines it has
 */
export function writePabulibHead(
  instance: PabulibInstance,
  lineEnd: LineEnd = '\n',
): { readonly text: string; readonly lines: number } {
  const rows: string[] = [];
  const add = (fields: readonly string[]): void => {
    rows.push(rowOf(fields, rows.length + 1));
  };

  add([Section.meta]);
  add([Column.key, Column.value]);
  const typedMeta = new Map<string, string>([
    [MetaKey.budget, instance.budget.toString()],
    [MetaKey.voteType, instance.voteType],
  ]);
  for (const [key, value] of instance.meta) add([key, typedMeta.get(key) ?? value]);
  for (const [key, value] of typedMeta) if (!instance.meta.has(key)) add([key, value]);

  add([Section.projects]);
  add(instance.projectColumns);
  for (const project of instance.projects) {
    const known = new Map<string, string>([
      [Column.projectId, project.id],
      [Column.cost, project.cost.toString()],
    ]);
    add(instance.projectColumns.map((column) => known.get(column) ?? fieldOf(project.fields, column)));
  }

  add([Section.votes]);
  add(instance.voteColumns);
  return { text: rows.map((row) => row + lineEnd).join(''), lines: rows.length };
}

/**
 * VOTES rows of `ballots` in the instance's vote columns, the first on line
 * `firstLine` of the whole file (for the line an error names).
 * @throws PabulibError for a project id with a comma (votes separate ids with commas)
 */
export function writePabulibVotes(
  instance: Pick<PabulibInstance, 'voteColumns'>,
  ballots: PabulibInstance['ballots'],
  firstLine: number,
  lineEnd: LineEnd = '\n',
): string {
  const rows: string[] = [];
  for (const ballot of ballots) {
    const line = firstLine + rows.length;
    const commaId = ballot.projectIds.find((id) => id.includes(','));
    if (commaId !== undefined) throw new PabulibError(line, Problems.commaInProjectId(commaId));
    const known = new Map<string, string>([
      [Column.voterId, ballot.voterId],
      [Column.vote, ballot.projectIds.join(',')],
      [Column.points, ballot.points?.join(',') ?? ''],
    ]);
    rows.push(
      rowOf(
        instance.voteColumns.map((column) => known.get(column) ?? fieldOf(ballot.fields, column)),
        line,
      ),
    );
  }
  return rows.map((row) => row + lineEnd).join('');
}

/** A kept column's value; `''` when the row has none (an instance built in code, not read). */
function fieldOf(fields: Readonly<Record<string, string>>, column: string): string {
  return Object.hasOwn(fields, column) ? (fields[column] as string) : '';
}
