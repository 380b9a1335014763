import type { RulebookTemplate } from './template';

/**
 * 绿化养护考核办法(一级养护) — greening maintenance at class-1 care.
 *
 * Sources (../shared/PRACTICE.md unless a seed is named):
 * - Qingxiu Mountain class-1 care: green cover ≥ 98 % (bare soil > 10 m² −1 per spot);
 *   weed-free ratio ≥ 90 %, grass < 8 cm; −0.1 per 1 % shortfall, −0.2 per m² standing
 *   water (https://max.book118.com/html/2019/0505/6215155024002030.shtm). The source lists
 *   the "−0.1 per 1 %" penalty with the class-1 percentages; we apply it to both cover and
 *   the weed-free ratio.
 * - The grade name 一级养护 follows the national 园林绿化养护标准 CJJ/T 287-2018, which
 *   grades care 一级/二级/三级; its per-grade tables were not retrieved, so the thresholds
 *   here are Qingxiu's, not the standard's.
 * - JKR Perak: fallen-tree hazard made safe within 24 h (http://jkrperak.gov.my/index.php/selenggara-aset/jalan).
 * - seeds/002: 清理绿地内垃圾杂物; 空缺树穴、死亡树木补植或更换; 排查绿色景观是否影响交通信号灯、警示标志并及时修剪;
 *   绿化全覆盖,无裸露土地.
 * - Suqian (complaints −2, at most 10); DESIGN §3 example bands; Haikou 5 % retention.
 * "our choice" marks numbers no source gives.
 */
export const greeningClass1Template: RulebookTemplate = {
  templateId: 'greening-class1',
  version: 2, // 2: kpiTargets (issue 15)
  serviceType: 'greening',
  titleZh: '城市绿化养护作业考核办法(一级养护)',
  title: 'Greening maintenance assessment (class-1 care)',
  summary:
    'Class-1 care (CJJ/T 287 grade naming) with Qingxiu thresholds: cover ≥ 98 %, weed-free ≥ 90 %, grass < 8 cm. DESIGN example bands (no reward), 5 % retention, 20 % deduction cap. Hazard trees made safe in 24 h (JKR Perak); other rectification hours are our choice.',
  rulebook: {
    name: '城市绿化养护作业考核办法',
    serviceType: 'greening',
    version: 1,
    defectItems: [
      {
        code: 'GR-BARE',
        category: 'greening',
        descriptionZh: '黄土裸露面积超过 10 m²',
        descriptionEn: 'Bare soil over 10 m²',
        unitZh: '处',
        pointsX100: 100, // Qingxiu: bare soil > 10 m² −1 per spot
        fineFen: 0,
        rectify: { hours: 168, mode: 'deduct' }, // our choice: a week to cover or replant
      },
      {
        code: 'GR-COVER',
        category: 'greening',
        descriptionZh: '绿地覆盖率低于 98%,每低 1 个百分点',
        descriptionEn: 'Green cover below 98 %, per percentage point',
        unitZh: '个百分点',
        pointsX100: 10, // Qingxiu: −0.1 per 1 % shortfall; cover ≥ 98 %
        fineFen: 0,
      },
      {
        code: 'GR-WEED',
        category: 'greening',
        descriptionZh: '无杂草率低于 90%,每低 1 个百分点',
        descriptionEn: 'Weed-free ratio below 90 %, per percentage point',
        unitZh: '个百分点',
        pointsX100: 10, // Qingxiu: weed-free ≥ 90 %, −0.1 per 1 % shortfall
        fineFen: 0,
      },
      {
        code: 'GR-GRASS',
        category: 'greening',
        descriptionZh: '草坪高度超过 8 cm 未修剪',
        descriptionEn: 'Lawn taller than 8 cm',
        unitZh: '处',
        pointsX100: 50, // our choice; the 8 cm limit is Qingxiu's
        fineFen: 0,
        rectify: { hours: 72, mode: 'deduct' }, // our choice
      },
      {
        code: 'GR-WATERLOG',
        category: 'greening',
        descriptionZh: '绿地积水',
        descriptionEn: 'Standing water in a green space',
        unitZh: 'm²',
        pointsX100: 20, // Qingxiu: −0.2 per m² standing water
        fineFen: 0,
        rectify: { hours: 24, mode: 'deduct' }, // our choice
      },
      {
        code: 'GR-PEST',
        category: 'greening',
        descriptionZh: '病虫害危害明显,未及时防治',
        descriptionEn: 'Visible pest or disease damage left untreated',
        unitZh: '处',
        pointsX100: 100, // our choice
        fineFen: 0,
        rectify: { hours: 72, mode: 'deduct' }, // our choice
        escalation: { kind: 'linear' }, // our choice: untreated pests spread, each repeat costs more
      },
      {
        code: 'GR-DEADWOOD',
        category: 'greening',
        descriptionZh: '枯枝、死树未清理',
        descriptionEn: 'Dead branches or dead trees not removed',
        unitZh: '株',
        pointsX100: 100, // our choice; requirement from seeds/002 (死亡树木进行补植或更换)
        fineFen: 0,
        rectify: { hours: 72, mode: 'deduct' }, // our choice
      },
      {
        code: 'GR-HAZARD',
        category: 'safety',
        descriptionZh: '倒伏树木、断枝危及通行',
        descriptionEn: 'Fallen tree or broken branch endangering traffic',
        unitZh: '处',
        pointsX100: 300, // our choice
        fineFen: 50_000, // our choice: 500 元
        rectify: { hours: 24, mode: 'deduct' }, // JKR Perak: fallen-tree hazard 24 h
      },
      {
        code: 'GR-SIGNAL',
        category: 'safety',
        descriptionZh: '树木遮挡交通信号灯、交通标志未修剪',
        descriptionEn: 'Trees hiding traffic lights or signs',
        unitZh: '处',
        pointsX100: 200, // our choice; requirement from seeds/002
        fineFen: 0,
        rectify: { hours: 48, mode: 'deduct' }, // our choice
      },
      {
        code: 'GR-HEDGE',
        category: 'greening',
        descriptionZh: '绿篱、色块未按时修剪,造型不整',
        descriptionEn: 'Hedges or colour beds untrimmed',
        unitZh: '处',
        pointsX100: 50, // our choice
        fineFen: 0,
        rectify: { hours: 168, mode: 'deduct' }, // our choice
      },
      {
        code: 'GR-WILT',
        category: 'greening',
        descriptionZh: '浇水不及时,植物失水萎蔫',
        descriptionEn: 'Plants wilting for lack of watering',
        unitZh: '处',
        pointsX100: 100, // our choice
        fineFen: 0,
        rectify: { hours: 24, mode: 'deduct' }, // our choice: wilting turns into dying within days
      },
      {
        code: 'GR-LITTER',
        category: 'greening',
        descriptionZh: '绿地内垃圾杂物未清理',
        descriptionEn: 'Litter in a green space',
        unitZh: '处',
        pointsX100: 50, // our choice; requirement from seeds/002
        fineFen: 0,
        rectify: { hours: 2, mode: 'deduct' }, // our choice
      },
      {
        code: 'GR-GAP',
        category: 'greening',
        descriptionZh: '缺株、空缺树穴未补植',
        descriptionEn: 'Missing plants or empty tree pits not replanted',
        unitZh: '处',
        pointsX100: 100, // our choice; requirement from seeds/002
        fineFen: 0,
        rectify: { hours: 720, mode: 'waive_if_rectified' }, // our choice: planting waits for stock and season; no deduction if replanted in 30 days
      },
      {
        code: 'GR-WORKSAFE',
        category: 'safety',
        descriptionZh: '修剪作业未设置警示区或未穿反光背心',
        descriptionEn: 'Pruning without a marked-off work zone or vests',
        unitZh: '次',
        pointsX100: 200, // our choice
        fineFen: 10_000, // our choice: 100 元
      },
    ],
    missedTasks: {
      defaultPrice: { pointsX100: 50, fineFen: 0 }, // our choice
      byActivity: [
        { activity: 'prune', pointsX100: 100, fineFen: 0 }, // our choice
        { activity: 'irrigate', pointsX100: 100, fineFen: 0 }, // our choice
        { activity: 'pest', pointsX100: 100, fineFen: 0 }, // our choice
      ],
    },
    latePenalty: { sameAsDefect: true }, // DESIGN §3 default
    complaint: { pointsX100: 200 }, // Suqian: −2 per event
    categoryCaps: [{ category: 'complaints', capX100: 1_000 }], // Suqian: at most 10
    scoreBands: [
      // DESIGN §3 example, unchanged
      { minScoreX100: 9_500, coefficientBps: 10_000 },
      { minScoreX100: 9_000, coefficientBps: 9_800 },
      { minScoreX100: 8_000, coefficientBps: 9_500 },
      { minScoreX100: 6_000, coefficientBps: 9_000 },
      { minScoreX100: 0, coefficientBps: 8_000 },
    ],
    deductionCapBps: 2_000, // DESIGN §3 example
    retentionBps: 500, // Haikou's 5 % quality deposit, reused (our choice for greening)
    listing: {
      redAtOrAboveX100: 9_500, // our choice: the full-fee band
      blackBelowX100: 6_000, // our choice: the lowest band
      blackAfterConsecutiveMonths: 2, // our choice
    },
    kpiTargets: {
      // our choice: no source gives a completion rate for contracted tasks; 98 % is the
      // seed's 主干道机械化清扫率达到98%以上 (seeds/002) and the 98 % lighting points In Light
      // of the Highways Maintenance PFI output spec (PRACTICE.md), a service-availability line
      taskCompletionBps: 9_800,
      onTimeRectificationBps: 9_500, // seeds/002: 问题限时整改率达到95%以上
      complaintResolutionBps: 8_500, // seeds/002: 群众满意率达到85%以上 (read for resolved complaints)
    },
    spotCheckPlan: [{ flag: null, count: 3 }], // our choice: three green spaces a month
    protocols: {},
  },
};
