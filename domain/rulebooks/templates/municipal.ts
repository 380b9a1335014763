import type { RulebookTemplate } from './template';

/**
 * 市政设施维护考核办法 — roads, pavements, covers, railings, lighting and gullies.
 *
 * Municipal upkeep is paid for response: a defect the contractor did not cause (a pothole
 * after rain) costs nothing if fixed within its period, the PFI rule (SoPC4 §8.7), while
 * hazards (a missing manhole cover) always cost, as Chinese schemes do.
 * Sources (../shared/PRACTICE.md unless a seed is named):
 * - JKR Perak: pothole temporary fix 1 day, permanent 3 days (http://jkrperak.gov.my/index.php/selenggara-aset/jalan);
 *   City of Austin proposes 7 days for potholes (github cityofaustin/atd-data-tech#14005) —
 *   a district with slower crews may set 168 h.
 * - TxDOT US-181: hazard mitigation 2 h (http://businessdocbox.com/Construction/121024474-Texas-department-of-transportation-book-2-technical-provisions.html).
 * - UK highways PFI Table 2.1: spillage made safe in 1 h; ≥ 98 % of lighting points in light
 *   (https://ppponline.affinitext.com/public/book?id=3105&toc_id=358168); accelerated
 *   deductions after the rectification period (…id=5776&toc_id=862503).
 * - MoD PFI: deductions capped at 10 % in total (…id=3067&toc_id=469861).
 * - seeds/002: 窨井盖…无破损、缺失、下沉、移位…设置明显的安全警示标志或护栏; 人行步道…无松动、无缺失、无坑槽;
 *   路缘石齐整; 护栏、隔离墩无空缺移位、歪倒松动、陈旧破损; 路名牌、指示牌…无油漆剥落、断裂、倾斜; 及时修复故障路灯.
 * - 建设工程质量保证金管理办法 (建质〔2017〕138号) art. 7: retention at most 3 % — written for
 *   construction works; repairs are the closest kind of work (our reading).
 * - Suqian (complaints); DESIGN §3 example bands with its reward example (≥ 98 → 10200).
 */
export const municipalRoadsTemplate: RulebookTemplate = {
  templateId: 'municipal-roads',
  version: 2, // 2: kpiTargets (issue 15)
  serviceType: 'municipal',
  titleZh: '市政道路设施维护考核办法(通用版)',
  title: 'Municipal road facilities maintenance assessment (general)',
  summary:
    'Response-based: potholes and wear items are waived when fixed in time (JKR Perak 1 day temporary / 3 days permanent), hazards cost at once (manhole covers made safe in 2 h as TxDOT, spillage in 1 h as UK PFI). Lighting ≥ 98 % (UK PFI). Deductions capped at 10 % (MoD PFI), 3 % retention, DESIGN bands with the ≥ 98 reward.',
  rulebook: {
    name: '市政道路设施维护考核办法',
    serviceType: 'municipal',
    version: 1,
    defectItems: [
      {
        code: 'MU-POTHOLE',
        category: 'roads',
        descriptionZh: '车行道坑槽未作临时修补',
        descriptionEn: 'Pothole in the carriageway not temporarily repaired',
        unitZh: '处',
        pointsX100: 200, // our choice
        fineFen: 0,
        rectify: { hours: 24, mode: 'waive_if_rectified' }, // JKR Perak: temporary fix 1 day
      },
      {
        code: 'MU-POTHOLE-PERM',
        category: 'roads',
        descriptionZh: '坑槽临时修补后未按期永久修复',
        descriptionEn: 'Temporarily patched pothole not permanently repaired',
        unitZh: '处',
        pointsX100: 200, // our choice
        fineFen: 0,
        rectify: { hours: 72, mode: 'waive_if_rectified' }, // JKR Perak: permanent fix 3 days
      },
      {
        code: 'MU-COVER',
        category: 'safety',
        descriptionZh: '井盖缺失、破损、下沉、移位,未设置安全警示',
        descriptionEn: 'Manhole cover missing, broken, sunken or displaced without warning',
        unitZh: '处',
        pointsX100: 500, // our choice: the costliest item, a missing cover injures people
        fineFen: 100_000, // our choice: 1 000 元
        rectify: { hours: 2, mode: 'deduct' }, // TxDOT hazard mitigation 2 h; requirement from seeds/002
        escalation: { kind: 'linear' }, // our choice: a cover that keeps failing on one segment
      },
      {
        code: 'MU-PAVER',
        category: 'roads',
        descriptionZh: '人行道板松动、缺失或坑槽',
        descriptionEn: 'Loose, missing or broken paving slabs',
        unitZh: '处',
        pointsX100: 100, // our choice; requirement from seeds/002
        fineFen: 0,
        rectify: { hours: 72, mode: 'waive_if_rectified' }, // our choice, aligned with the permanent pothole fix
      },
      {
        code: 'MU-CURB',
        category: 'roads',
        descriptionZh: '路缘石缺损、不齐整',
        descriptionEn: 'Kerb stones broken or out of line',
        unitZh: '处',
        pointsX100: 50, // our choice; requirement from seeds/002
        fineFen: 0,
        rectify: { hours: 168, mode: 'waive_if_rectified' }, // our choice
      },
      {
        code: 'MU-RAIL',
        category: 'facilities',
        descriptionZh: '护栏、隔离墩空缺移位、歪倒松动或破损',
        descriptionEn: 'Guard rails or barriers missing, leaning, loose or broken',
        unitZh: '处',
        pointsX100: 100, // our choice; requirement from seeds/002
        fineFen: 0,
        rectify: { hours: 48, mode: 'waive_if_rectified' }, // our choice
      },
      {
        code: 'MU-SIGN',
        category: 'facilities',
        descriptionZh: '路名牌、指示牌破损、倾斜、字迹不清',
        descriptionEn: 'Street-name or direction signs damaged, leaning or illegible',
        unitZh: '块',
        pointsX100: 50, // our choice; requirement from seeds/002
        fineFen: 0,
        rectify: { hours: 168, mode: 'waive_if_rectified' }, // our choice
      },
      {
        code: 'MU-LAMP',
        category: 'lighting',
        descriptionZh: '路灯不亮(单灯故障)',
        descriptionEn: 'Street light out',
        unitZh: '盏',
        pointsX100: 50, // our choice; requirement from seeds/002 (及时修复故障路灯)
        fineFen: 0,
        rectify: { hours: 72, mode: 'waive_if_rectified' }, // our choice
      },
      {
        code: 'MU-LIGHT-RATE',
        category: 'lighting',
        descriptionZh: '月度亮灯率低于 98%,每低 1 个百分点',
        descriptionEn: 'Monthly lighting availability below 98 %, per percentage point',
        unitZh: '个百分点',
        pointsX100: 100, // our choice; the 98 % is UK highways PFI Table 2.1
        fineFen: 0,
      },
      {
        code: 'MU-GULLY',
        category: 'drainage',
        descriptionZh: '雨水口、排水管道堵塞',
        descriptionEn: 'Gully or drain blocked',
        unitZh: '处',
        pointsX100: 100, // our choice
        fineFen: 0,
        rectify: { hours: 24, mode: 'deduct' }, // our choice: before the next rain
      },
      {
        code: 'MU-SPILL',
        category: 'safety',
        descriptionZh: '路面遗撒、油污未作安全处置',
        descriptionEn: 'Spillage on the road not made safe',
        unitZh: '处',
        pointsX100: 200, // our choice
        fineFen: 0,
        rectify: { hours: 1, mode: 'deduct' }, // UK highways PFI: spillage made safe in 1 h
      },
      {
        code: 'MU-WORKZONE',
        category: 'safety',
        descriptionZh: '维修作业未设置围挡及警示标志',
        descriptionEn: 'Repair work without barriers and warning signs',
        unitZh: '次',
        pointsX100: 300, // our choice
        fineFen: 50_000, // our choice: 500 元
      },
    ],
    missedTasks: {
      defaultPrice: { pointsX100: 50, fineFen: 0 }, // our choice
      byActivity: [{ activity: 'facility_patrol', pointsX100: 100, fineFen: 5_000 }], // our choice: patrols find the hazards
    },
    latePenalty: { sameAsDefect: true }, // DESIGN §3 default; UK PFI guidance: accelerated deductions after the period
    complaint: { pointsX100: 200 }, // Suqian: −2 per event
    categoryCaps: [{ category: 'complaints', capX100: 1_000 }], // Suqian: at most 10
    scoreBands: [
      { minScoreX100: 9_800, coefficientBps: 10_200 }, // DESIGN §3 reward example
      { minScoreX100: 9_500, coefficientBps: 10_000 }, // DESIGN §3 example from here down
      { minScoreX100: 9_000, coefficientBps: 9_800 },
      { minScoreX100: 8_000, coefficientBps: 9_500 },
      { minScoreX100: 6_000, coefficientBps: 9_000 },
      { minScoreX100: 0, coefficientBps: 8_000 },
    ],
    bonusCapBps: 200, // our choice: the reward never exceeds its band's 2 %
    deductionCapBps: 1_000, // MoD PFI: 10 % in total
    retentionBps: 300, // 建质〔2017〕138号 art. 7: at most 3 %
    listing: {
      redAtOrAboveX100: 9_800, // our choice: the reward band
      blackBelowX100: 6_000, // our choice: the lowest band
    },
    kpiTargets: {
      // our choice: no source gives a completion rate for contracted tasks; 98 % is the
      // seed's 主干道机械化清扫率达到98%以上 (seeds/002) and the 98 % lighting points In Light
      // of the Highways Maintenance PFI output spec (PRACTICE.md), a service-availability line
      taskCompletionBps: 9_800,
      onTimeRectificationBps: 9_500, // seeds/002: 问题限时整改率达到95%以上
      complaintResolutionBps: 8_500, // seeds/002: 群众满意率达到85%以上 (read for resolved complaints)
    },
    spotCheckPlan: [
      { flag: null, grade: 'primary', count: 2 }, // our choice: arterials carry the traffic
      { flag: null, grade: 'secondary', count: 1 }, // our choice
    ],
    protocols: {},
  },
};
