import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { escapeXml, renderLineChart } from '../../src/web/charts.js';
import { ratioPoints, renderRatioChart } from '../../src/web/users/ratio-chart.js';

const day = (n: number) => new Date(Date.UTC(2026, 10, n));

describe('renderLineChart', () => {
  it('draws one polyline per series inside the view box, with a title and legend', () => {
    const svg = renderLineChart({
      series: [
        { label: 'Up', points: [{ x: day(1), y: 0 }, { x: day(2), y: 5 }, { x: day(3), y: 10 }] },
        { label: 'Down', points: [{ x: day(1), y: 2 }, { x: day(3), y: 4 }] },
      ],
      width: 400,
      height: 200,
    });
    assert.match(svg, /^<svg class="chart"[^>]* viewBox="0 0 400 200" role="img"><title>Up, Down<\/title>/);
    assert.equal(svg.match(/<polyline /g)?.length, 2);
    for (const [, x, y] of svg.matchAll(/(-?[\d.]+),(-?[\d.]+)/g)) {
      assert.ok(Number(x) >= 0 && Number(x) <= 400 && Number(y) >= 0 && Number(y) <= 200, `${x},${y}`);
    }
    assert.match(svg, />Up<\/text>/);
    assert.match(svg, /2026-11-01/);
    assert.match(svg, /2026-11-03/);
    assert.doesNotMatch(svg, /style=/, 'no inline styles: the CSP forbids them');
  });

  it('escapes labels, titles and formatted values', () => {
    const svg = renderLineChart({
      title: '<b>"T"</b>',
      series: [{ label: `<script>alert('x')</script>`, points: [{ x: day(1), y: 1 }, { x: day(2), y: 2 }] }],
      yFormat: (y) => `<${y}>`,
    });
    assert.doesNotMatch(svg, /<script>|<b>|<1>/);
    assert.match(svg, /&lt;script&gt;alert\(&#39;x&#39;\)&lt;\/script&gt;/);
    assert.match(svg, /<title>&lt;b&gt;&quot;T&quot;&lt;\/b&gt;<\/title>/);
    assert.equal(escapeXml(`&<>"'`), '&amp;&lt;&gt;&quot;&#39;');
  });

  it('says so when there is no data, draws a dot for one point and skips non-finite values', () => {
    assert.match(renderLineChart({ series: [{ label: 'A', points: [] }] }), /No data yet/);
    const one = renderLineChart({ series: [{ label: 'A', points: [{ x: day(1), y: 3 }, { x: day(2), y: Infinity }, { x: day(3), y: NaN }] }] });
    assert.match(one, /<circle /);
    assert.doesNotMatch(one, /NaN|Infinity/);
  });
});

describe('renderRatioChart', () => {
  it('leaves out days with nothing downloaded and adds the required ratio line', () => {
    const rows = [
      { day: day(1), totalUploaded: 10n, totalDownloaded: 0n },
      { day: day(2), totalUploaded: 10n, totalDownloaded: 20n },
      { day: day(3), totalUploaded: 30n, totalDownloaded: 20n },
    ];
    assert.deepEqual(ratioPoints(rows).map((p) => p.y), [0.5, 1.5]);
    const svg = renderRatioChart(rows, 0.6, 'en');
    assert.equal(svg.match(/<polyline /g)?.length, 2);
    assert.match(svg, /Required now/);
    assert.match(svg, /Ratio: 1\.50/);
  });

  it('names the chart, its lines and its values in the page\'s language', () => {
    const rows = [{ day: day(2), totalUploaded: 30n, totalDownloaded: 20n }];
    const svg = renderRatioChart(rows, 0.6, 'ru');
    assert.match(svg, /<title>Рейтинг по дням<\/title>/);
    assert.match(svg, /Требуется сейчас/);
    assert.match(svg, /Рейтинг: 1,50/);
  });
});
