import { text } from '../../shared/localized';
import { PabulibError, type PabulibProblem, Problems, type Subject } from './errors';
import { DELIMITER, fieldsOf, linesOf, type NumberedLine } from './fields';
import {
  Column,
  MetaKey,
  type PabulibBallot,
  type PabulibInstance,
  type PabulibProject,
  POINTED_VOTE_TYPES,
  SECTIONS,
  Section,
  VOTE_TYPES,
  type VoteType,
} from './instance';

/** A row split into fields, with its line number. */
interface Row {
  readonly line: number;
  readonly fields: readonly string[];
}

/** One section of the file: the line of its name, its header row and its data rows. */
interface SectionRows {
  readonly line: number;
  readonly header: Row | undefined;
  readonly rows: Row[];
}

/**
 * Reads a pabulib `.pb` file (https://pabulib.org/format): META, PROJECTS and
 * VOTES, each a `;`-separated header row and data rows. It takes LF or CRLF
 * line ends, a byte-order mark, blank lines and Python-csv quoting, and keeps
 * every column it does not know.
 *
 * Costs and the budget must be whole amounts; `12.0` is read as 12 (tables
 * exported through pandas write it so), `12.5` is refused, because a rule
 * cannot split a coin. Votes must name listed projects, each at most once,
 * with one point value per project for `cumulative` and `scoring` votes.
 *
 * @throws PabulibError with the line and what is wrong there, for the first mistake found.
 * @example const instance = parsePabulib(await readFile('Poland_Warszawa_2023_Rembertow.pb', 'utf8'));
 */
export function parsePabulib(fileText: string): PabulibInstance {
  const lines = linesOf(fileText);
  const sections = sectionsOf(lines);
  const { meta, budget, voteType } = readMeta(sections[Section.meta]);
  const { projectColumns, projects } = readProjects(sections[Section.projects]);
  const { voteColumns, ballots } = readVotes(
    sections[Section.votes],
    voteType,
    new Set(projects.map((project) => project.id)),
  );
  return { meta, budget, voteType, projectColumns, projects, voteColumns, ballots };
}

const fail = (line: number, problem: PabulibProblem): never => {
  throw new PabulibError(line, problem);
};

/** The three sections by name; rows before the first section name, or a section twice, are mistakes. */
function sectionsOf(lines: readonly NumberedLine[]): Record<Section, SectionRows> {
  const found = new Map<Section, { line: number; rows: Row[] }>();
  let current: Row[] | undefined;
  for (const line of lines) {
    if (line.content.trim() === '') continue;
    const name = sectionName(line.content);
    if (name) {
      const earlier = found.get(name);
      if (earlier) fail(line.line, Problems.duplicateSection(name, earlier.line));
      current = [];
      found.set(name, { line: line.line, rows: current });
    } else if (current) {
      current.push({ line: line.line, fields: fieldsOf(line) });
    } else {
      fail(line.line, Problems.outsideSection());
    }
  }
  if (found.size === 0) fail(1, Problems.emptyFile());
  const lastLine = lines.at(-1)?.line ?? 1;
  const section = (name: Section): SectionRows => {
    const rows = found.get(name) ?? fail(lastLine, Problems.missingSection(name));
    const [header, ...data] = rows.rows;
    return { line: rows.line, header, rows: data };
  };
  return {
    [Section.meta]: section(Section.meta),
    [Section.projects]: section(Section.projects),
    [Section.votes]: section(Section.votes),
  };
}

function sectionName(content: string): Section | undefined {
  const name = content.trim().toUpperCase();
  return SECTIONS.find((section) => section === name);
}

function headerOf(name: Section, section: SectionRows): { row: Row; columns: string[] } {
  const row = section.header ?? fail(section.line, Problems.missingHeader(name));
  const columns = row.fields.map((column) => column.trim());
  const seen = new Set<string>();
  for (const column of columns) {
    if (seen.has(column)) fail(row.line, Problems.duplicateColumn(name, column));
    seen.add(column);
  }
  return { row, columns };
}

function requireColumns(name: Section, header: Row, columns: readonly string[], required: string[]): void {
  for (const column of required) {
    if (!columns.includes(column)) fail(header.line, Problems.missingColumn(name, column));
  }
}

function requireFieldCount(row: Row, columns: readonly string[]): void {
  if (row.fields.length !== columns.length) fail(row.line, Problems.columnCount(columns, row.fields.length));
}

/** The row's fields by column name, leaving out the columns the parser reads itself. */
function otherFields(
  row: Row,
  columns: readonly string[],
  known: ReadonlySet<string>,
): Record<string, string> {
  return Object.fromEntries(
    columns.flatMap((column, index) => (known.has(column) ? [] : [[column, row.fields[index] ?? '']])),
  );
}

/** A whole, non-negative amount; a zero fraction (`1200.00`) is the same whole amount. */
function amountOf(value: string, subject: Subject, line: number): bigint {
  const match = /^(\d+)(?:\.0+)?$/.exec(value.trim());
  return match ? BigInt(match[1] as string) : fail(line, Problems.notAnAmount(subject, value));
}

function readMeta(section: SectionRows): { meta: Map<string, string>; budget: bigint; voteType: VoteType } {
  const header = section.header ?? fail(section.line, Problems.missingHeader(Section.meta));
  const headerColumns = header.fields.map((column) => column.trim());
  const [keyColumn, valueColumn, ...more] = headerColumns;
  if (keyColumn !== Column.key || valueColumn !== Column.value || more.length > 0) {
    fail(header.line, Problems.metaHeader());
  }
  const meta = new Map<string, string>();
  const lineOfKey = new Map<string, number>();
  for (const row of section.rows) {
    // A value may hold an unquoted `;` (real files have such descriptions): it runs to the line's end.
    if (row.fields.length < 2) fail(row.line, Problems.columnCount(headerColumns, row.fields.length));
    const key = (row.fields[0] as string).trim();
    const firstLine = lineOfKey.get(key);
    if (firstLine !== undefined) fail(row.line, Problems.duplicateMetaKey(key, firstLine));
    lineOfKey.set(key, row.line);
    meta.set(key, row.fields.slice(1).join(DELIMITER));
  }
  const metaRow = (key: string): { line: number; value: string } => {
    const line = lineOfKey.get(key) ?? fail(section.line, Problems.missingMeta(key));
    return { line, value: meta.get(key) as string };
  };
  const budgetRow = metaRow(MetaKey.budget);
  const budget = amountOf(budgetRow.value, text('Бюджет', 'The budget'), budgetRow.line);
  const voteTypeRow = metaRow(MetaKey.voteType);
  const voteType =
    VOTE_TYPES.find((type) => type === voteTypeRow.value.trim()) ??
    fail(voteTypeRow.line, Problems.unknownVoteType(voteTypeRow.value));
  // Canonical, so that the map always says what the typed fields say.
  meta.set(MetaKey.budget, budget.toString());
  meta.set(MetaKey.voteType, voteType);
  return { meta, budget, voteType };
}

const PROJECT_COLUMNS: ReadonlySet<string> = new Set([Column.projectId, Column.cost]);

function readProjects(section: SectionRows): { projectColumns: string[]; projects: PabulibProject[] } {
  const { row: header, columns } = headerOf(Section.projects, section);
  requireColumns(Section.projects, header, columns, [Column.projectId, Column.cost]);
  const idIndex = columns.indexOf(Column.projectId);
  const costIndex = columns.indexOf(Column.cost);
  const lineOfId = new Map<string, number>();
  const projects = section.rows.map((row): PabulibProject => {
    requireFieldCount(row, columns);
    const id = (row.fields[idIndex] as string).trim();
    if (id === '') fail(row.line, Problems.emptyId(Column.projectId));
    if (id.includes(',')) fail(row.line, Problems.commaInProjectId(id));
    const firstLine = lineOfId.get(id);
    if (firstLine !== undefined) fail(row.line, Problems.duplicateProject(id, firstLine));
    lineOfId.set(id, row.line);
    const cost = amountOf(
      row.fields[costIndex] as string,
      text(`Вартість проєкту ${id}`, `The cost of project ${id}`),
      row.line,
    );
    return { id, cost, fields: otherFields(row, columns, PROJECT_COLUMNS) };
  });
  return { projectColumns: columns, projects };
}

const VOTE_COLUMNS: ReadonlySet<string> = new Set([Column.voterId, Column.vote, Column.points]);

/** The comma-separated entries of a vote or points field; an empty field lists nothing. */
function listOf(field: string): string[] {
  const trimmed = field.trim();
  return trimmed === '' ? [] : trimmed.split(',').map((entry) => entry.trim());
}

function readVotes(
  section: SectionRows,
  voteType: VoteType,
  projectIds: ReadonlySet<string>,
): { voteColumns: string[]; ballots: PabulibBallot[] } {
  const { row: header, columns } = headerOf(Section.votes, section);
  const pointed = POINTED_VOTE_TYPES.has(voteType);
  requireColumns(
    Section.votes,
    header,
    columns,
    pointed ? [Column.voterId, Column.vote, Column.points] : [Column.voterId, Column.vote],
  );
  if (!pointed && columns.includes(Column.points)) fail(header.line, Problems.unexpectedPoints(voteType));
  const voterIndex = columns.indexOf(Column.voterId);
  const voteIndex = columns.indexOf(Column.vote);
  const pointsIndex = columns.indexOf(Column.points);
  const lineOfVoter = new Map<string, number>();
  const ballots = section.rows.map((row): PabulibBallot => {
    requireFieldCount(row, columns);
    const voterId = (row.fields[voterIndex] as string).trim();
    if (voterId === '') fail(row.line, Problems.emptyId(Column.voterId));
    const firstLine = lineOfVoter.get(voterId);
    if (firstLine !== undefined) fail(row.line, Problems.duplicateVoter(voterId, firstLine));
    lineOfVoter.set(voterId, row.line);
    const projectIdsOfVote = votedProjects(row.fields[voteIndex] as string, projectIds, row.line);
    const fields = otherFields(row, columns, VOTE_COLUMNS);
    if (!pointed) return { voterId, projectIds: projectIdsOfVote, fields };
    const points = pointsOf(row.fields[pointsIndex] as string, row.line);
    if (points.length !== projectIdsOfVote.length) {
      fail(row.line, Problems.pointsCount(projectIdsOfVote.length, points.length));
    }
    return { voterId, projectIds: projectIdsOfVote, points, fields };
  });
  return { voteColumns: columns, ballots };
}

function votedProjects(field: string, projectIds: ReadonlySet<string>, line: number): string[] {
  const ids = listOf(field);
  const seen = new Set<string>();
  for (const id of ids) {
    if (id === '') fail(line, Problems.emptyVoteEntry());
    if (!projectIds.has(id)) fail(line, Problems.unknownProject(id));
    if (seen.has(id)) fail(line, Problems.repeatedProject(id));
    seen.add(id);
  }
  return ids;
}

function pointsOf(field: string, line: number): bigint[] {
  return listOf(field).map((entry) =>
    /^-?\d+$/.test(entry) ? BigInt(entry) : fail(line, Problems.notPoints(field)),
  );
}
