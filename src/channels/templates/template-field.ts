/** Renders a receiver's compiled template override against the notification, or gives the default. */
import type { NotificationData } from '../channel-adapter.js';
import { type CompiledTemplate, toTemplateData } from './template-engine.js';

export function renderOverride(template: CompiledTemplate | undefined, data: NotificationData): string | undefined {
  if (template === undefined) return undefined;
  return template.render(toTemplateData(data));
}
