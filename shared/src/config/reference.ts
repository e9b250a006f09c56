import { z } from 'zod';
import { ERRORS } from '../errors/catalog.js';
import { NODE_ENV_VARS } from './env.js';
import { nodeConfigSchema } from './node-config.js';

interface PropertySchema {
  description?: string;
  default?: unknown;
  type?: string;
  enum?: unknown[];
}

function defaultText(property: PropertySchema): string {
  if (property.default === undefined) return '';
  const value = property.default;
  if (Array.isArray(value)) return value.length === 0 ? '(none)' : value.join(',');
  return String(value);
}

/**
 * The configuration reference as a Markdown table, generated from the node config schema, so
 * README.md never drifts from the code (a test compares them).
 * @example renderConfigReference().startsWith('| variable |')
 */
export function renderConfigReference(): string {
  const json = z.toJSONSchema(nodeConfigSchema, { io: 'input', unrepresentable: 'any' }) as { properties: Record<string, PropertySchema>; required?: string[] };
  const rows = Object.entries(NODE_ENV_VARS).map(([env, field]) => {
    const property = json.properties[field] ?? {};
    const required = json.required?.includes(field) ? '**required**' : defaultText(property);
    return `| \`${env}\` | \`${field}\` | ${required ? (required.startsWith('**') ? required : `\`${required}\``) : ''} | ${property.description ?? ''} |`;
  });
  return ['| variable | config file field | default | meaning |', '|---|---|---|---|', ...rows].join('\n');
}

/**
 * Every error id with its HTTP status and user-facing message, as a Markdown table.
 * @example renderErrorCatalog().includes('api.context.404.app_error')
 */
export function renderErrorCatalog(): string {
  const rows = Object.entries(ERRORS).map(([id, entry]) => `| \`${id}\` | ${entry.status} | ${entry.message.replace(/\|/g, '\\|')} |`);
  return ['| id | HTTP status | message |', '|---|---|---|', ...rows].join('\n');
}
