import { type Localized, text } from '../../shared/localized';

/** What can be wrong with a `.pb` file: one stable code per kind of mistake. */
export const PabulibErrorCode = {
  empty_file: 'empty_file',
  outside_section: 'outside_section',
  duplicate_section: 'duplicate_section',
  missing_section: 'missing_section',
  missing_header: 'missing_header',
  bad_quoting: 'bad_quoting',
  missing_column: 'missing_column',
  duplicate_column: 'duplicate_column',
  unexpected_column: 'unexpected_column',
  column_count: 'column_count',
  duplicate_meta_key: 'duplicate_meta_key',
  missing_meta: 'missing_meta',
  unknown_vote_type: 'unknown_vote_type',
  not_an_amount: 'not_an_amount',
  not_a_number: 'not_a_number',
  empty_id: 'empty_id',
  comma_in_project_id: 'comma_in_project_id',
  duplicate_project: 'duplicate_project',
  duplicate_voter: 'duplicate_voter',
  unknown_project: 'unknown_project',
  repeated_project: 'repeated_project',
  points_count: 'points_count',
  unwritable_field: 'unwritable_field',
} as const;
export type PabulibErrorCode = (typeof PabulibErrorCode)[keyof typeof PabulibErrorCode];

/** One mistake, before it is pinned to a line. */
export interface PabulibProblem {
  readonly code: PabulibErrorCode;
  readonly text: Localized;
}

/**
 * A `.pb` file that cannot be read (or an instance that cannot be written):
 * the 1-based line and what is wrong there, in Ukrainian and English, so that
 * whoever prepared the file can fix it. `message` is the English text with the line.
 */
export class PabulibError extends Error {
  override readonly name = 'PabulibError';
  readonly code: PabulibErrorCode;
  readonly line: number;
  readonly text: Localized;

  constructor(line: number, problem: PabulibProblem) {
    super(`line ${line}: ${problem.text.en}`);
    this.code = problem.code;
    this.line = line;
    this.text = problem.text;
  }
}

const problem = (code: PabulibErrorCode, uk: string, en: string): PabulibProblem => ({
  code,
  text: text(uk, en),
});

/** What a thing is called in a message: the amount or id being read, in both languages. */
export type Subject = Localized;

/** The messages, one builder per code, so that the parser reads as a list of checks. */
export const Problems = {
  emptyFile: () =>
    problem(
      'empty_file',
      'Файл порожній: потрібні розділи META, PROJECTS і VOTES.',
      'The file is empty: it needs the sections META, PROJECTS and VOTES.',
    ),
  outsideSection: () =>
    problem(
      'outside_section',
      'Рядок стоїть поза розділами: файл має починатися рядком META.',
      'This row is outside any section: the file must start with the line META.',
    ),
  duplicateSection: (section: string, firstLine: number) =>
    problem(
      'duplicate_section',
      `Розділ ${section} трапляється вдруге (уперше в рядку ${firstLine}).`,
      `Section ${section} appears a second time (first at line ${firstLine}).`,
    ),
  missingSection: (section: string) =>
    problem(
      'missing_section',
      `Немає розділу ${section}: файл має містити META, PROJECTS і VOTES.`,
      `Section ${section} is missing: a file needs META, PROJECTS and VOTES.`,
    ),
  missingHeader: (section: string) =>
    problem(
      'missing_header',
      `Розділ ${section} не має рядка із заголовками стовпців.`,
      `Section ${section} has no header row naming its columns.`,
    ),
  unclosedQuote: () =>
    problem(
      'bad_quoting',
      'Лапки не закрито до кінця рядка (поле не може переходити на наступний рядок).',
      'A quoted field is not closed before the end of the line (a field cannot span lines).',
    ),
  textAfterQuote: () =>
    problem(
      'bad_quoting',
      'Після закривальних лапок має йти ; або кінець рядка.',
      'A closing quote must be followed by ; or the end of the line.',
    ),
  metaHeader: () =>
    problem(
      'missing_header',
      'Розділ META має починатися рядком заголовків key;value.',
      'Section META must begin with the header row key;value.',
    ),
  missingColumn: (section: string, column: string) =>
    problem(
      'missing_column',
      `У заголовку розділу ${section} немає стовпця ${column}.`,
      `The ${section} header has no ${column} column.`,
    ),
  duplicateColumn: (section: string, column: string) =>
    problem(
      'duplicate_column',
      `У заголовку розділу ${section} стовпець ${column} трапляється двічі.`,
      `The ${section} header names the column ${column} twice.`,
    ),
  unexpectedPoints: (voteType: string) =>
    problem(
      'unexpected_column',
      `Стовпець points буває лише для голосування cumulative або scoring, а vote_type тут ${voteType}.`,
      `A points column belongs to cumulative or scoring votes only, and vote_type here is ${voteType}.`,
    ),
  columnCount: (header: readonly string[], found: number) =>
    problem(
      'column_count',
      `Очікуємо ${header.length} полів (${header.join(';')}), а знайдено ${found}.`,
      `Expected ${header.length} fields (${header.join(';')}), found ${found}.`,
    ),
  duplicateMetaKey: (key: string, firstLine: number) =>
    problem(
      'duplicate_meta_key',
      `Ключ ${key} у META трапляється вдруге (уперше в рядку ${firstLine}).`,
      `The META key ${key} appears a second time (first at line ${firstLine}).`,
    ),
  missingMeta: (key: string) =>
    problem('missing_meta', `У розділі META немає рядка ${key}.`, `Section META has no ${key} row.`),
  unknownVoteType: (value: string) =>
    problem(
      'unknown_vote_type',
      `Невідомий vote_type «${value}»: має бути approval, cumulative, ordinal або scoring.`,
      `Unknown vote_type "${value}": it must be approval, cumulative, ordinal or scoring.`,
    ),
  notAnAmount: (subject: Subject, value: string) =>
    problem(
      'not_an_amount',
      `${subject.uk}: очікуємо ціле невід’ємне число (без копійок), а не «${value}».`,
      `${subject.en}: expected a whole number of at least 0 (no fractions), not "${value}".`,
    ),
  notPoints: (value: string) =>
    problem(
      'not_a_number',
      `Бали мають бути цілими числами через кому, а не «${value}».`,
      `Points must be whole numbers separated by commas, not "${value}".`,
    ),
  emptyId: (column: string) =>
    problem('empty_id', `Поле ${column} порожнє.`, `The ${column} field is empty.`),
  commaInProjectId: (id: string) =>
    problem(
      'comma_in_project_id',
      `Ідентифікатор проєкту «${id}» містить кому, тож голос не зможе на нього послатися.`,
      `The project id "${id}" contains a comma, so no vote could name it.`,
    ),
  emptyVoteEntry: () =>
    problem(
      'empty_id',
      'Голос містить порожнє місце між комами (дві коми поспіль або кома на краю).',
      'The vote has an empty place between commas (two commas in a row, or one at an end).',
    ),
  duplicateProject: (id: string, firstLine: number) =>
    problem(
      'duplicate_project',
      `Проєкт ${id} уже описано в рядку ${firstLine}.`,
      `Project ${id} is already listed at line ${firstLine}.`,
    ),
  duplicateVoter: (id: string, firstLine: number) =>
    problem(
      'duplicate_voter',
      `Виборець ${id} уже голосував у рядку ${firstLine}.`,
      `Voter ${id} already voted at line ${firstLine}.`,
    ),
  unknownProject: (id: string) =>
    problem(
      'unknown_project',
      `Голос називає проєкт ${id}, якого немає в розділі PROJECTS.`,
      `The vote names project ${id}, which section PROJECTS does not list.`,
    ),
  repeatedProject: (id: string) =>
    problem('repeated_project', `Голос називає проєкт ${id} двічі.`, `The vote names project ${id} twice.`),
  pointsCount: (projects: number, points: number) =>
    problem(
      'points_count',
      `Голос називає ${projects} проєкт(ів), а балів ${points}: на кожен проєкт має бути одне число.`,
      `The vote names ${projects} project(s) but gives ${points} point value(s): one per project.`,
    ),
  unwritableField: (value: string) =>
    problem(
      'unwritable_field',
      `Поле ${JSON.stringify(value)} містить розрив рядка, а у форматі pabulib поле займає один рядок.`,
      `The field ${JSON.stringify(value)} contains a line break; a pabulib field must fit on one line.`,
    ),
} as const satisfies Record<string, (...args: never[]) => PabulibProblem>;
