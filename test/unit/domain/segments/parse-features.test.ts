import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../../domain/errors';
import { ImportSegmentsInput, maxImportFeatures, maxListedImportIssues, parseFeatures } from '../../../../domain/segments/import';

const jinganExport: unknown = JSON.parse(readFileSync(new URL('../../../fixtures/geojson/jingan-segments.geojson', import.meta.url), 'utf8'));

/** 南京西路 in 静安区, WGS84 lon/lat. */
const nanjingRoad = { type: 'LineString', coordinates: [[121.4508, 31.2289], [121.4532, 31.2295], [121.4585, 31.231]] };
const jinganPark = {
  type: 'Polygon',
  coordinates: [[[121.4455, 31.2225], [121.448, 31.2225], [121.448, 31.2245], [121.4455, 31.2245], [121.4455, 31.2225]]],
};

function feature(properties: Record<string, unknown>, geometry: unknown = nanjingRoad): Record<string, unknown> {
  return { type: 'Feature', properties, geometry };
}

/** A valid road feature; `overrides` replace or (with undefined) remove properties. */
function road(id: string | number, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const properties: Record<string, unknown> = { id, name: '南京西路(石门一路—陕西北路)', street: '南京西路街道', grade: '主干道', width: 32, ...overrides };
  for (const key of Object.keys(properties)) if (properties[key] === undefined) delete properties[key];
  return feature(properties);
}

function importOf(features: unknown[], options: Record<string, unknown> = {}): ImportSegmentsInput {
  return ImportSegmentsInput.parse({ featureCollection: { type: 'FeatureCollection', features }, ...options });
}

/** The ValidationError parseFeatures throws for `input`. */
function rejectionOf(input: ImportSegmentsInput): ValidationError {
  try {
    parseFeatures(input);
  } catch (error) {
    if (error instanceof ValidationError) return error;
    throw error;
  }
  throw new Error('parseFeatures accepted the input');
}

describe('parseFeatures: a district export', () => {
  it('reads every feature of a realistic 静安区 export', () => {
    // Prepare
    const input = ImportSegmentsInput.parse({ featureCollection: jinganExport });

    // Act
    const parsed = parseFeatures(input);

    // Assess
    expect(parsed.map(({ index, fields }) => [index, fields.externalId, fields.grade, fields.flags])).toEqual([
      [0, 'JA-NJXL-001', 'primary', ['strict']],
      [1, 'JA-YAZL-002', 'primary', ['controlled', 'strict']],
      [2, 'JA-YYL-003', 'secondary', ['controlled']],
      [3, 'JA-TRL-004', 'branch', []],
      [4, '5', 'alley', []],
      [5, 'JA-JAGY-006', 'secondary', []],
    ]);
  });

  it('measures length and area of every feature', () => {
    // Prepare
    const input = ImportSegmentsInput.parse({ featureCollection: jinganExport });

    // Act
    const parsed = parseFeatures(input);

    // Assess
    for (const { fields } of parsed) {
      expect(fields.lengthM).toBeGreaterThan(0);
      expect(fields.areaM2).toBeGreaterThan(0);
    }
    const lane = parsed[4]?.fields;
    expect(lane?.widthM).toBe(4.5);
    expect(lane?.areaM2).toBe(Math.round((lane?.lengthM ?? 0) * 4.5));
  });

  it('reads properties under the names the mapping gives', () => {
    // Prepare
    const properties = { 编号: 'JA-001', 路名: '南京西路', 街道: '南京西路街道', 网格: 'NJ-03', 道路等级: '主干道', 管控: '严禁路', 宽度: '32' };
    const mapping = { externalId: '编号', name: '路名', street: '街道', grid: '网格', grade: '道路等级', flags: '管控', widthM: '宽度' };

    // Act
    const [parsed] = parseFeatures(importOf([feature(properties)], { mapping }));

    // Assess
    expect(parsed?.fields).toMatchObject({ externalId: 'JA-001', name: '南京西路', street: '南京西路街道', grid: 'NJ-03', grade: 'primary', flags: ['strict'], widthM: 32 });
  });
});

describe('parseFeatures: grades', () => {
  it.each([
    ['主干道', 'primary'],
    ['主干路', 'primary'],
    ['快速路', 'primary'],
    ['次干道', 'secondary'],
    ['次干路', 'secondary'],
    ['支路', 'branch'],
    ['背街小巷', 'alley'],
    ['街巷', 'alley'],
    ['小巷', 'alley'],
    ['弄堂', 'alley'],
  ])('reads the Chinese grade %s as %s', (source, grade) => {
    // Prepare
    const input = importOf([road('JA-1', { grade: source })]);

    // Act
    const [parsed] = parseFeatures(input);

    // Assess
    expect(parsed?.fields.grade).toBe(grade);
  });

  it.each([
    ['1', 'primary'],
    [1, 'primary'],
    ['一级', 'primary'],
    ['2级', 'secondary'],
    ['二级', 'secondary'],
    [3, 'branch'],
    ['三级', 'branch'],
    ['４', 'alley'],
    ['四级', 'alley'],
  ])('reads the cleaning grade %s as %s', (source, grade) => {
    // Prepare
    const input = importOf([road('JA-1', { grade: source })]);

    // Act
    const [parsed] = parseFeatures(input);

    // Assess
    expect(parsed?.fields.grade).toBe(grade);
  });

  it('reads English grades whatever their case', () => {
    // Prepare
    const input = importOf([road('JA-1', { grade: ' Secondary ' })]);

    // Act
    const [parsed] = parseFeatures(input);

    // Assess
    expect(parsed?.fields.grade).toBe('secondary');
  });

  it("lets the tenant's gradeValues add names and override built-in ones", () => {
    // Prepare
    const input = importOf([road('JA-1', { grade: 'A类' }), road('JA-2', { grade: '1' })], { gradeValues: { A类: 'branch', '1': 'alley' } });

    // Act
    const parsed = parseFeatures(input);

    // Assess
    expect(parsed.map(({ fields }) => fields.grade)).toEqual(['branch', 'alley']);
  });

  it('names an unknown grade, where it is, and what is allowed', () => {
    // Prepare
    const input = importOf([road('JA-1', { grade: '快速路x' })]);

    // Act
    const error = rejectionOf(input);

    // Assess
    expect(error.issues.map(({ path, message }) => ({ path, message }))).toEqual([
      {
        path: 'featureCollection.features.0.properties.grade',
        message: "grade '快速路x' is not a known grade; use primary/secondary/branch/alley, 主干道/次干道/支路/背街小巷 or 1–4 (一级–四级), or map it in gradeValues",
      },
    ]);
    // The same refusal in Chinese, for a zh-CN caller (the console shows it as written).
    expect(error.issues[0]?.zh).toBe('道路等级「快速路x」无法识别；请使用 主干道/次干道/支路/背街小巷、primary/secondary/branch/alley 或 1–4（一级–四级），或在 gradeValues 中映射');
  });
});

describe('parseFeatures: flags', () => {
  it.each([
    ['严禁路、严控路', ['controlled', 'strict']],
    ['严禁路，严控路', ['controlled', 'strict']],
    ['strict; controlled', ['controlled', 'strict']],
    ['Strict', ['strict']],
    ['严控', ['controlled']],
    ['无', []],
    ['', []],
    [null, []],
  ])('reads the text %j as %j', (source, flags) => {
    // Prepare
    const input = importOf([road('JA-1', { flags: source })]);

    // Act
    const [parsed] = parseFeatures(input);

    // Assess
    expect(parsed?.fields.flags).toEqual(flags);
  });

  it('reads a list of flags, dropping repeats', () => {
    // Prepare
    const input = importOf([road('JA-1', { flags: ['严控路', 'strict', '严禁路'] })]);

    // Act
    const [parsed] = parseFeatures(input);

    // Assess
    expect(parsed?.fields.flags).toEqual(['controlled', 'strict']);
  });

  it("lets the tenant's flagValues add names", () => {
    // Prepare
    const input = importOf([road('JA-1', { flags: '一类严管' })], { flagValues: { 一类严管: 'strict' } });

    // Act
    const [parsed] = parseFeatures(input);

    // Assess
    expect(parsed?.fields.flags).toEqual(['strict']);
  });

  it('names each unknown flag in a list by its position', () => {
    // Prepare
    const input = importOf([road('JA-1', { flags: ['严禁路', '重点路'] })]);

    // Act
    const error = rejectionOf(input);

    // Assess
    expect(error.issues.map(({ path, message }) => ({ path, message }))).toEqual([
      {
        path: 'featureCollection.features.0.properties.flags.1',
        message: "flag '重点路' is not a known flag; use strict/controlled or 严禁路/严控路 (several separated by , 、 or ;), or map it in flagValues",
      },
    ]);
  });
});

describe('parseFeatures: width and external id', () => {
  it.each([
    [12.5, 12.5],
    ['12.5', 12.5],
    ['12.5m', 12.5],
    ['12.5 M', 12.5],
    ['12.5 米', 12.5],
    ['１２', 12],
  ])('reads the width %j as %d m', (source, widthM) => {
    // Prepare
    const input = importOf([road('JA-1', { width: source })]);

    // Act
    const [parsed] = parseFeatures(input);

    // Assess
    expect(parsed?.fields.widthM).toBe(widthM);
  });

  it('refuses a width that is not a number of metres', () => {
    // Prepare
    const input = importOf([road('JA-1', { width: '宽12米' })]);

    // Act
    const error = rejectionOf(input);

    // Assess
    expect(error.issues).toEqual([
      { path: 'featureCollection.features.0.properties.width', message: 'width \'宽12米\' is not a number of metres; use a number such as 12.5 or text such as "12.5m"' },
    ]);
  });

  it('refuses a width out of range with the value found', () => {
    // Prepare
    const input = importOf([road('JA-1', { width: 350 })]);

    // Act
    const error = rejectionOf(input);

    // Assess
    expect(error.issues).toEqual([{ path: 'featureCollection.features.0.properties.width', message: expect.stringMatching(/^width: .*200.*\(found 350\)$/) }]);
  });

  it('asks for a width when a road has neither width nor area', () => {
    // Prepare
    const input = importOf([road('JA-1', { width: undefined })]);

    // Act
    const error = rejectionOf(input);

    // Assess
    expect(error.issues).toEqual([
      {
        path: 'featureCollection.features.0.properties.width',
        message:
          "width is needed to compute the area of a line segment (area = length x width); none was given; give the feature a 'width' property in metres (or map the property that holds it in mapping.widthM)",
      },
    ]);
  });

  it('accepts a polygon without a width', () => {
    // Prepare
    const input = importOf([feature({ id: 'JA-JAGY-006', name: '静安公园', street: '静安寺街道', grade: '次干道' }, jinganPark)]);

    // Act
    const [parsed] = parseFeatures(input);

    // Assess
    expect(parsed?.fields.widthM).toBeUndefined();
  });

  it('turns a numeric external id into text', () => {
    // Prepare
    const input = importOf([road(310106001)]);

    // Act
    const [parsed] = parseFeatures(input);

    // Assess
    expect(parsed?.fields.externalId).toBe('310106001');
  });

  it('refuses a numeric external id too large to be exact', () => {
    // Prepare
    const input = importOf([road(2 ** 60)]);

    // Act
    const error = rejectionOf(input);

    // Assess
    expect(error.issues).toEqual([
      { path: 'featureCollection.features.0.properties.id', message: expect.stringContaining('is too large to be exact as a JSON number; export the id column as text') },
    ]);
  });

  it('names both features that share an external id', () => {
    // Prepare
    const input = importOf([road('JA-1'), road('JA-2'), road(' JA-1 ')]);

    // Act
    const error = rejectionOf(input);

    // Assess
    expect(error.message).toBe('1 of 3 features are invalid; nothing was imported');
    expect(error.issues.map(({ path, message }) => ({ path, message }))).toEqual([
      {
        path: 'featureCollection.features.2.properties.id',
        message: "external id 'JA-1' of feature 2 is also used by feature 0 (featureCollection.features.0); external ids must be unique within a file",
      },
    ]);
  });
});

describe('parseFeatures: structure and geometry', () => {
  it('is refused by the schema above 5 000 features', () => {
    // Prepare
    const features = Array.from({ length: maxImportFeatures + 1 }, (_, i) => road(`JA-${i}`));

    // Act
    const result = ImportSegmentsInput.safeParse({ featureCollection: { type: 'FeatureCollection', features } });

    // Assess
    expect(result.success).toBe(false);
    expect(result.error?.issues).toEqual([expect.objectContaining({ path: ['featureCollection', 'features'], message: 'at most 5000 features per import' })]);
  });

  it('tells a file with latitude and longitude swapped, once per feature', () => {
    // Prepare
    const swapped = { type: 'LineString', coordinates: nanjingRoad.coordinates.map(([lon, lat]) => [lat, lon]) };
    const input = importOf([feature({ id: 'JA-1', name: '南京西路', street: '南京西路街道', grade: '主干道', width: 32 }, swapped)]);

    // Act
    const error = rejectionOf(input);

    // Assess
    expect(error.issues).toEqual([
      {
        path: 'featureCollection.features.0.geometry.coordinates.0.0',
        message: 'longitude must be within China (73–136 °E); is the file in WGS84 lon/lat order? (found 31.2289) (and 2 more like it in this feature)',
      },
      {
        path: 'featureCollection.features.0.geometry.coordinates.0.1',
        message: 'latitude must be within China (3–54 °N); is the file in WGS84 lon/lat order? (found 121.4508) (and 2 more like it in this feature)',
      },
    ]);
  });

  it('refuses a geometry type a segment cannot have', () => {
    // Prepare
    const input = importOf([feature({ id: 'JA-1', name: '公厕', street: '静安寺街道', grade: '支路' }, { type: 'Point', coordinates: [121.4455, 31.2225] })]);

    // Act
    const error = rejectionOf(input);

    // Assess
    expect(error.issues.map(({ path, message }) => ({ path, message }))).toEqual([
      {
        path: 'featureCollection.features.0.geometry.type',
        message: "geometry type 'Point' is not supported; use LineString or MultiLineString for roads, Polygon or MultiPolygon for squares, parks and green belts",
      },
    ]);
  });

  it('refuses a member that is not a Feature', () => {
    // Prepare
    const input = importOf([{ ...road('JA-1'), type: 'Geometry' }]);

    // Act
    const error = rejectionOf(input);

    // Assess
    expect(error.issues).toEqual([{ path: 'featureCollection.features.0.type', message: "type is 'Geometry'; each member of features must have type 'Feature'" }]);
  });

  it('refuses a polygon whose outline crosses itself', () => {
    // Prepare
    const bowTie = { type: 'Polygon', coordinates: [[[121.4455, 31.2225], [121.448, 31.2225], [121.4455, 31.2245], [121.448, 31.2245], [121.4455, 31.2225]]] };
    const input = importOf([feature({ id: 'JA-JAGY-006', name: '静安公园', street: '静安寺街道', grade: '次干道' }, bowTie)]);

    // Act
    const error = rejectionOf(input);

    // Assess
    expect(error.issues).toEqual([
      { path: 'featureCollection.features.0.geometry.coordinates.0.1', message: expect.stringContaining('the outer ring crosses itself') },
    ]);
  });
});

describe('parseFeatures: reporting', () => {
  it('reports every problem of every feature, all-or-nothing', () => {
    // Prepare
    const input = importOf([
      road('JA-1'),
      road('JA-2', { grade: '快速路x', name: undefined }),
      road('JA-3'),
      road('JA-4', { street: '   ', flags: '重点' }),
      feature({ id: 'JA-5', name: '愚园路', street: '静安寺街道', grade: '次干道', width: 18 }, null),
    ]);

    // Act
    const error = rejectionOf(input);

    // Assess
    expect(error.message).toBe('3 of 5 features are invalid; nothing was imported');
    expect(error.issues.map(({ path }) => path)).toEqual([
      'featureCollection.features.1.properties.name',
      'featureCollection.features.1.properties.grade',
      'featureCollection.features.3.properties.street',
      'featureCollection.features.3.properties.flags',
      'featureCollection.features.4.geometry',
    ]);
  });

  it('says what is missing and how to map it', () => {
    // Prepare
    const input = importOf([road('JA-1', { name: undefined })]);

    // Act
    const error = rejectionOf(input);

    // Assess
    expect(error.issues.map(({ path, message }) => ({ path, message }))).toEqual([
      {
        path: 'featureCollection.features.0.properties.name',
        message: "property 'name' (name) is missing or empty; every feature needs one (or map another property in mapping.name)",
      },
    ]);
  });

  it(`lists at most ${maxListedImportIssues} problems and says how many more there are`, () => {
    // Prepare
    const features = Array.from({ length: 600 }, (_, i) => road(`JA-${i}`, { grade: '快速路x' }));

    // Act
    const error = rejectionOf(importOf(features));

    // Assess
    expect(error.message).toBe('600 of 600 features are invalid; nothing was imported');
    expect(error.issues).toHaveLength(maxListedImportIssues + 1);
    expect({ ...error.issues.at(-1), zh: undefined }).toEqual({ path: 'featureCollection.features', message: '100 more problems are not listed; fix the ones above and import again' });
  });
});
