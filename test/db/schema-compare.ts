// Compares what prisma/schema.prisma describes (through Prisma's own parser, the DMMF) with
// what the migrations actually built in a database (information_schema and pg_catalog).
// Prisma's `migrate diff` would do this, but its schema engine cannot be downloaded here.
import internals from '@prisma/internals';
import type { SqlDriver } from '../../src/db/driver.js';

const { getDMMF } = internals;

type Dmmf = Awaited<ReturnType<typeof getDMMF>>;
type DmmfModel = Dmmf['datamodel']['models'][number];
type DmmfField = DmmfModel['fields'][number];

export interface SchemaShape {
  enums: Record<string, string[]>;
  /** table -> column -> "type|nullable|hasDefault" */
  columns: Record<string, Record<string, string>>;
  /** "table(col,col) unique|index|pkey algorithm name" */
  indexes: string[];
  /** "table(col) -> table(col) onDelete" */
  foreignKeys: string[];
}

const SCALAR_TYPES: Record<string, string> = {
  Int: 'integer',
  BigInt: 'bigint',
  String: 'text',
  Boolean: 'boolean',
  DateTime: 'timestamp(3)',
  Float: 'double precision',
  Bytes: 'bytea',
  Json: 'jsonb',
  Decimal: 'numeric(65,30)',
};

function nativeTypeOf(field: DmmfField): string | null {
  if (!field.nativeType) return null;
  const [name, args] = field.nativeType as [string, string[]];
  switch (name) {
    case 'VarChar':
      return `varchar(${args[0]})`;
    case 'Char':
      return `char(${args[0]})`;
    case 'Date':
      return 'date';
    case 'Timestamp':
      return `timestamp(${args[0] ?? 6})`;
    case 'Timestamptz':
      return `timestamptz(${args[0] ?? 6})`;
    default:
      return name.toLowerCase();
  }
}

function expectedType(field: DmmfField, enumDbNames: Map<string, string>): string {
  if (field.kind === 'enum') return `enum:${enumDbNames.get(field.type) ?? field.type}`;
  const type = nativeTypeOf(field) ?? SCALAR_TYPES[field.type] ?? `unknown:${field.type}`;
  return field.isList ? `${type}[]` : type;
}

const tableOf = (model: DmmfModel): string => model.dbName ?? model.name;
const columnOf = (field: DmmfField): string => field.dbName ?? field.name;

function columnsOf(model: DmmfModel, fieldNames: readonly string[]): string[] {
  return fieldNames.map((name) => columnOf(model.fields.find((f) => f.name === name)!));
}

function expectedIndexes(dmmf: Dmmf): string[] {
  const models = new Map(dmmf.datamodel.models.map((m) => [m.name, m]));
  const out: string[] = [];
  for (const index of dmmf.datamodel.indexes) {
    const model = models.get(index.model)!;
    const table = tableOf(model);
    const cols = columnsOf(model, index.fields.map((f) => f.name));
    const kind = index.type === 'id' ? 'pkey' : index.type === 'unique' ? 'unique' : 'index';
    const suffix = kind === 'pkey' ? 'pkey' : kind === 'unique' ? 'key' : 'idx';
    const name = index.dbName ?? (kind === 'pkey' ? `${table}_pkey` : `${table}_${cols.join('_')}_${suffix}`);
    const algorithm = (index.algorithm ?? 'BTree').toLowerCase();
    out.push(`${table}(${cols.join(',')}) ${kind} ${algorithm} ${name}`);
  }
  return out.sort();
}

function expectedForeignKeys(dmmf: Dmmf): string[] {
  const models = new Map(dmmf.datamodel.models.map((m) => [m.name, m]));
  const out: string[] = [];
  for (const model of dmmf.datamodel.models) {
    for (const field of model.fields) {
      if (field.kind !== 'object' || !field.relationFromFields?.length) continue;
      const target = models.get(field.type)!;
      const onDelete = (field.relationOnDelete ?? (field.isRequired ? 'Restrict' : 'SetNull')).toLowerCase();
      out.push(
        `${tableOf(model)}(${columnsOf(model, field.relationFromFields).join(',')}) -> ` +
          `${tableOf(target)}(${columnsOf(target, field.relationToFields ?? []).join(',')}) ${onDelete}`,
      );
    }
  }
  return out.sort();
}

export async function shapeFromSchema(schemaText: string): Promise<SchemaShape> {
  const dmmf = await getDMMF({ datamodel: schemaText });
  const enumDbNames = new Map(dmmf.datamodel.enums.map((e) => [e.name, e.dbName ?? e.name]));
  const enums: SchemaShape['enums'] = {};
  for (const e of dmmf.datamodel.enums) enums[e.dbName ?? e.name] = e.values.map((v) => v.dbName ?? v.name);
  const columns: SchemaShape['columns'] = {};
  for (const model of dmmf.datamodel.models) {
    const table: Record<string, string> = {};
    for (const field of model.fields) {
      if (field.kind === 'object' || field.kind === 'unsupported') continue;
      const nullable = field.isRequired ? 'not null' : 'null';
      table[columnOf(field)] = `${expectedType(field, enumDbNames)}|${nullable}|${field.hasDefaultValue ? 'default' : 'no default'}`;
    }
    columns[tableOf(model)] = table;
  }
  return { enums, columns, indexes: expectedIndexes(dmmf), foreignKeys: expectedForeignKeys(dmmf) };
}

interface ColumnRow {
  table_name: string;
  column_name: string;
  data_type: string;
  udt_name: string;
  is_nullable: string;
  column_default: string | null;
  character_maximum_length: number | null;
  datetime_precision: number | null;
}

function actualType(row: ColumnRow): string {
  switch (row.data_type) {
    case 'USER-DEFINED':
      return `enum:${row.udt_name}`;
    case 'ARRAY': // udt_name is the element type with a leading underscore: _text
      return `${row.udt_name.slice(1)}[]`;
    case 'character varying':
      return row.character_maximum_length === null ? 'text' : `varchar(${row.character_maximum_length})`;
    case 'character':
      return `char(${row.character_maximum_length})`;
    case 'timestamp without time zone':
      return `timestamp(${row.datetime_precision})`;
    case 'timestamp with time zone':
      return `timestamptz(${row.datetime_precision})`;
    default:
      return row.data_type;
  }
}

const ON_DELETE: Record<string, string> = { a: 'noaction', r: 'restrict', c: 'cascade', n: 'setnull', d: 'setdefault' };

export async function shapeFromDatabase(sql: SqlDriver): Promise<SchemaShape> {
  const enumRows = await sql.query<{ name: string; value: string }>(
    `SELECT t.typname AS name, e.enumlabel AS value FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid
     JOIN pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = 'public' ORDER BY t.typname, e.enumsortorder`,
  );
  const enums: SchemaShape['enums'] = {};
  for (const row of enumRows) (enums[row.name] ??= []).push(row.value);

  const columnRows = await sql.query<ColumnRow>(
    `SELECT table_name, column_name, data_type, udt_name, is_nullable, column_default, character_maximum_length, datetime_precision
     FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'`,
  );
  const columns: SchemaShape['columns'] = {};
  for (const row of columnRows) {
    const nullable = row.is_nullable === 'YES' ? 'null' : 'not null';
    (columns[row.table_name] ??= {})[row.column_name] = `${actualType(row)}|${nullable}|${row.column_default === null ? 'no default' : 'default'}`;
  }

  const indexRows = await sql.query<{ table: string; name: string; cols: string; is_unique: boolean; is_primary: boolean; method: string }>(
    `SELECT t.relname AS table, i.relname AS name, am.amname AS method, ix.indisunique AS is_unique, ix.indisprimary AS is_primary,
            (SELECT string_agg(a.attname, ',' ORDER BY k.ord) FROM unnest(ix.indkey) WITH ORDINALITY AS k(attnum, ord)
               JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum) AS cols
     FROM pg_index ix JOIN pg_class i ON i.oid = ix.indexrelid JOIN pg_class t ON t.oid = ix.indrelid
     JOIN pg_namespace n ON n.oid = t.relnamespace JOIN pg_am am ON am.oid = i.relam
     WHERE n.nspname = 'public' AND t.relname <> '_prisma_migrations'`,
  );
  const indexes = indexRows
    .map((r) => `${r.table}(${r.cols}) ${r.is_primary ? 'pkey' : r.is_unique ? 'unique' : 'index'} ${r.method} ${r.name}`)
    .sort();

  const fkRows = await sql.query<{ def: string }>(
    `SELECT t.relname::text || '(' || (SELECT string_agg(a.attname, ',' ORDER BY k.ord) FROM unnest(c.conkey) WITH ORDINALITY k(attnum, ord)
              JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum) || ') -> ' ||
            r.relname::text || '(' || (SELECT string_agg(a.attname, ',' ORDER BY k.ord) FROM unnest(c.confkey) WITH ORDINALITY k(attnum, ord)
              JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.attnum) || ') ' || c.confdeltype::text AS def
     FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid JOIN pg_class r ON r.oid = c.confrelid
     JOIN pg_namespace n ON n.oid = t.relnamespace WHERE c.contype = 'f' AND n.nspname = 'public'`,
  );
  const foreignKeys = fkRows.map((r) => r.def.replace(/ (\w)$/, (_m, code: string) => ` ${ON_DELETE[code] ?? code}`)).sort();
  return { enums, columns, indexes, foreignKeys };
}

/** Human-readable differences, empty when the schema and the database agree. */
export function diffShapes(expected: SchemaShape, actual: SchemaShape): string[] {
  const out: string[] = [];
  for (const [name, values] of Object.entries(expected.enums)) {
    if (JSON.stringify(actual.enums[name]) !== JSON.stringify(values)) {
      out.push(`enum ${name}: schema ${JSON.stringify(values)}, database ${JSON.stringify(actual.enums[name] ?? null)}`);
    }
  }
  for (const name of Object.keys(actual.enums)) if (!expected.enums[name]) out.push(`enum ${name} exists only in the database`);
  const tables = new Set([...Object.keys(expected.columns), ...Object.keys(actual.columns)]);
  for (const table of tables) {
    const e = expected.columns[table];
    const a = actual.columns[table];
    if (!e) {
      out.push(`table ${table} exists only in the database`);
      continue;
    }
    if (!a) {
      out.push(`table ${table} is in schema.prisma but not in the database`);
      continue;
    }
    for (const column of new Set([...Object.keys(e), ...Object.keys(a)])) {
      if (e[column] !== a[column]) out.push(`column ${table}.${column}: schema ${e[column] ?? 'absent'}, database ${a[column] ?? 'absent'}`);
    }
  }
  const compareList = (label: string, exp: string[], act: string[]) => {
    for (const item of exp) if (!act.includes(item)) out.push(`${label} missing in the database: ${item}`);
    for (const item of act) if (!exp.includes(item)) out.push(`${label} only in the database: ${item}`);
  };
  compareList('index', expected.indexes, actual.indexes);
  compareList('foreign key', expected.foreignKeys, actual.foreignKeys);
  return out;
}
