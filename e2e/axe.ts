import AxeBuilder from '@axe-core/playwright';
import { test, type Page } from '@playwright/test';

/** A full axe run takes seconds on a small machine; each one adds this to the test's budget. */
const AXE_RUN_MS = 10_000;

/** The serious and critical problems axe finds on the page as it is now. */
export async function seriousViolations(page: Page) {
  test.info().setTimeout(test.info().timeout + AXE_RUN_MS);
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => ({
      rule: violation.id,
      help: violation.help,
      targets: violation.nodes.map((node) => node.target.join(' ')),
    }));
}
