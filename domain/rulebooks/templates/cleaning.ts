import type { RulebookTemplate } from './template';

/**
 * 环卫保洁作业考核办法 — road cleaning, monthly 100-point score.
 *
 * Sources (all in ../shared/PRACTICE.md unless a seed is named):
 * - "generic table": missed area −10/spot, litter −2, standing water/mud −1, sweeping into
 *   drains −2 (http://otwtv.com/Water-ActivitiesHobbies/9737429.html).
 * - Fuzhou inspection notice: −4/−8/−12 by litter amount, −10 for ~100 m of sand
 *   (https://zfj.fuzhou.gov.cn/zz/zwgk/jcjd/202110/t20211018_4208742.htm).
 * - Northern-city scheme: −1 per street missing the time standard; scattered bags −0.1 to
 *   −0.5 (https://www.renrendoc.com/paper/211522141.html).
 * - Suqian PPP: social supervision −2 per event, at most 10; major-event failure −5, at most
 *   10 (http://www.xjxbtdc.com/news/300353_2.html).
 * - Haikou: < 90 fee reduced, ≥ 90 full, ≥ 95 reward; 5 % quality deposit; 5 quarters < 75
 *   terminate (http://r-mail.cn/news/detail-10280879.html).
 * - Zhengzhou 以克论净: 3 sampling points per road, 1 m² frame, ≤ 10 g/m².
 * - CJJ/T 126 sensory sample: C = 6·C1 + 6·C2 + 4·C3 + 4·C4, items rated 0–5 (method text
 *   reproduced at https://wanglu.net/thread/t4-525741-2.html, not verified against the
 *   published CJJ/T 126-2022).
 * - seeds/002: 路面呈现本色, 无污渍 (the stain item); 果皮箱、垃圾桶 maintenance.
 * Where no source gives a number the comment says "our choice"; a district should review
 * those against its own 考核办法 before signing.
 */
export const cleaningStandardTemplate: RulebookTemplate = {
  templateId: 'cleaning-standard',
  version: 2, // 2: kpiTargets (issue 15)
  serviceType: 'cleaning',
  titleZh: '城市道路环卫保洁作业考核办法(通用版)',
  title: 'Road cleaning assessment (general)',
  summary:
    'Monthly 100-point score from patrol and spot-check findings, missed tasks and valid complaints; Haikou-style bands (full fee from 90, reward from 95), 5 % retention, deductions capped at 20 % of base. Item points from the generic table, Fuzhou, the northern-city scheme and Suqian; fines and rectification hours are our choice.',
  rulebook: {
    name: '城市道路环卫保洁作业考核办法',
    serviceType: 'cleaning',
    version: 1,
    defectItems: [
      {
        code: 'CL-LITTER',
        category: 'road_cleanliness',
        descriptionZh: '路面有果皮、纸屑、烟头等可见垃圾',
        descriptionEn: 'Visible litter (peel, paper, cigarette ends) on the road',
        unitZh: '处',
        pointsX100: 200, // generic table: litter within grade distance −2
        fineFen: 0,
        rectify: { hours: 1, mode: 'deduct' }, // our choice: patrol cleaning passes at least hourly on grade 1–2 roads
      },
      {
        code: 'CL-PILE-S',
        category: 'road_cleanliness',
        descriptionZh: '垃圾堆积(少量,单处不超过 1 m²)',
        descriptionEn: 'Accumulated waste, small (≤ 1 m² per spot)',
        unitZh: '处',
        pointsX100: 400, // Fuzhou −4 (the area bands are our choice; Fuzhou grades "by amount")
        fineFen: 0,
        rectify: { hours: 2, mode: 'deduct' }, // our choice
      },
      {
        code: 'CL-PILE-M',
        category: 'road_cleanliness',
        descriptionZh: '垃圾堆积(较多,单处 1–5 m²)',
        descriptionEn: 'Accumulated waste, medium (1–5 m² per spot)',
        unitZh: '处',
        pointsX100: 800, // Fuzhou −8
        fineFen: 20_000, // our choice: 200 元
        rectify: { hours: 2, mode: 'deduct' }, // our choice
      },
      {
        code: 'CL-PILE-L',
        category: 'road_cleanliness',
        descriptionZh: '垃圾堆积(大量,单处超过 5 m²)',
        descriptionEn: 'Accumulated waste, large (> 5 m² per spot)',
        unitZh: '处',
        pointsX100: 1_200, // Fuzhou −12
        fineFen: 50_000, // our choice: 500 元
        rectify: { hours: 4, mode: 'deduct' }, // our choice: needs a vehicle
      },
      {
        code: 'CL-SAND',
        category: 'road_cleanliness',
        descriptionZh: '路面泥沙覆盖(约 100 m 路段)',
        descriptionEn: 'Sand or mud covering about 100 m of road',
        unitZh: '约100 m',
        pointsX100: 1_000, // Fuzhou −10 for ~100 m of sand
        fineFen: 50_000, // our choice: 500 元
        rectify: { hours: 4, mode: 'deduct' }, // our choice
      },
      {
        code: 'CL-MISSED-AREA',
        category: 'road_cleanliness',
        descriptionZh: '漏扫区域、卫生死角',
        descriptionEn: 'Area left unswept, neglected corner',
        unitZh: '处',
        pointsX100: 1_000, // generic table: missed cleaning area −10 per spot
        fineFen: 0,
        rectify: { hours: 4, mode: 'deduct' }, // our choice
      },
      {
        code: 'CL-WATER',
        category: 'road_cleanliness',
        descriptionZh: '路面积水、积泥',
        descriptionEn: 'Standing water or mud on the road',
        unitZh: '处',
        pointsX100: 100, // generic table: standing water/mud −1
        fineFen: 0,
        rectify: { hours: 2, mode: 'deduct' }, // our choice
      },
      {
        code: 'CL-DRAIN',
        category: 'road_cleanliness',
        descriptionZh: '将垃圾扫入雨水口、窨井',
        descriptionEn: 'Waste swept into a gully or manhole',
        unitZh: '处',
        pointsX100: 200, // generic table: sweeping into manholes −2
        fineFen: 20_000, // our choice: 200 元, it blocks the municipal drains
        escalation: { kind: 'linear' }, // our choice: a repeat on the same segment is a habit, not an accident
      },
      {
        code: 'CL-STAIN',
        category: 'road_cleanliness',
        descriptionZh: '路面油污、污渍未清除,路面未见本色',
        descriptionEn: 'Oil or stains left, road surface not showing its own colour',
        unitZh: '处',
        pointsX100: 100, // our choice; requirement from seeds/002 (使道路路面呈现本色, 无污渍)
        fineFen: 0,
        rectify: { hours: 24, mode: 'deduct' }, // our choice: needs a washing round
      },
      {
        code: 'CL-BAG',
        category: 'road_cleanliness',
        descriptionZh: '路面、绿化带散落垃圾袋',
        descriptionEn: 'Scattered rubbish bags',
        unitZh: '个',
        pointsX100: 50, // northern-city scheme: scattered bags −0.1 to −0.5 (upper end)
        fineFen: 0,
        rectify: { hours: 1, mode: 'deduct' }, // our choice
      },
      {
        code: 'CL-DUST',
        category: 'road_cleanliness',
        descriptionZh: '以克论净:尘土残存量超过 10 g/m²(每个样点)',
        descriptionEn: 'Dust by weight above 10 g/m² (per sampling point)',
        unitZh: '样点',
        pointsX100: 100, // our choice per sample; limit and sampling from Zhengzhou (see protocols)
        fineFen: 0,
      },
      {
        code: 'CL-LATE-WORK',
        category: 'operations',
        descriptionZh: '未按作业时间标准完成清扫(每条道路)',
        descriptionEn: 'Sweeping not finished by the time standard (per street)',
        unitZh: '条',
        pointsX100: 100, // northern-city scheme: 1 point per street missing the time standard
        fineFen: 0,
      },
      {
        code: 'CL-BIN',
        category: 'facilities',
        descriptionZh: '果壳箱(果皮箱)满溢、箱体脏污破损',
        descriptionEn: 'Litter bin overflowing, dirty or damaged',
        unitZh: '个',
        pointsX100: 100, // our choice; requirement from seeds/002 (对破损、陈旧的环卫设施及时维护和更换)
        fineFen: 0,
        rectify: { hours: 2, mode: 'deduct' }, // our choice
      },
      {
        code: 'CL-VEHICLE',
        category: 'operations',
        descriptionZh: '作业车辆跑冒滴漏、车容不洁',
        descriptionEn: 'Work vehicle leaking or spilling, vehicle dirty',
        unitZh: '辆次',
        pointsX100: 200, // our choice
        fineFen: 20_000, // our choice: 200 元
      },
      {
        code: 'CL-UNIFORM',
        category: 'operations',
        descriptionZh: '作业人员未着统一工装',
        descriptionEn: 'Worker not in uniform',
        unitZh: '人次',
        pointsX100: 50, // our choice
        fineFen: 0,
      },
      {
        code: 'CL-SAFETY',
        category: 'safety',
        descriptionZh: '作业人员未穿反光背心或作业未设置安全警示标志',
        descriptionEn: 'No high-visibility vest, or no warning signs at the work site',
        unitZh: '人次',
        pointsX100: 200, // our choice: a road worker without a vest is a hazard, priced above uniform
        fineFen: 10_000, // our choice: 100 元
      },
      {
        code: 'CL-EVENT',
        category: 'events',
        descriptionZh: '重大活动保障不力',
        descriptionEn: 'Failure during a major-event cleaning assignment (重大活动保障)',
        unitZh: '次',
        pointsX100: 500, // Suqian: major-event failure −5 (cap below)
        fineFen: 0,
      },
    ],
    missedTasks: {
      defaultPrice: { pointsX100: 50, fineFen: 5_000 }, // our choice
      byActivity: [
        { activity: 'sweep', pointsX100: 100, fineFen: 10_000 }, // northern-city scheme −1 per street off the time standard; a missed sweep costs at least that. Fine our choice.
        { activity: 'patrol_clean', pointsX100: 50, fineFen: 5_000 }, // our choice
        { activity: 'wash', pointsX100: 100, fineFen: 10_000 }, // our choice
        { activity: 'water', pointsX100: 50, fineFen: 5_000 }, // our choice
      ],
    },
    latePenalty: { sameAsDefect: true }, // DESIGN §3 default: the defect again
    complaint: { pointsX100: 200 }, // Suqian: social supervision −2 per event
    categoryCaps: [
      { category: 'complaints', capX100: 1_000 }, // Suqian: at most 10
      { category: 'events', capX100: 1_000 }, // Suqian: major events at most 10
    ],
    scoreBands: [
      { minScoreX100: 9_500, coefficientBps: 10_100 }, // Haikou: ≥ 95 reward; the 1 % is our choice
      { minScoreX100: 9_000, coefficientBps: 10_000 }, // Haikou: ≥ 90 full fee
      { minScoreX100: 8_000, coefficientBps: 9_500 }, // DESIGN §3 example
      { minScoreX100: 7_500, coefficientBps: 9_000 }, // our choice: 75 is Haikou's termination line
      { minScoreX100: 6_000, coefficientBps: 8_500 }, // our choice
      { minScoreX100: 0, coefficientBps: 8_000 }, // DESIGN §3 example floor
    ],
    bonusCapBps: 100, // our choice: the reward never exceeds the 1 % its band pays
    deductionCapBps: 2_000, // DESIGN §3 example; MoD PFI caps each service element at 20 %
    retentionBps: 500, // Haikou: 5 % quality deposit
    listing: {
      redAtOrAboveX100: 9_500, // Haikou reward line, our choice for the red list
      blackBelowX100: 7_500, // Haikou: < 75
      blackAfterConsecutiveMonths: 3, // our choice: one quarter of months
      terminationReview: { belowX100: 7_500, consecutiveQuarters: 5 }, // Haikou: 5 quarters < 75 → terminated
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
      { flag: 'strict', count: 1 }, // DESIGN §3: one strict road
      { flag: 'controlled', count: 1 }, // DESIGN §3: one controlled road
      { flag: null, grade: 'alley', count: 1 }, // DESIGN §3 "one community": a 背街小巷 serving it (our reading)
    ],
    protocols: {
      sampleScore: {
        standard: 'CJJ/T 126-2022',
        maxItemScore: 5,
        items: [
          { key: 'overall', nameZh: '整体清洁', weight: 6 },
          { key: 'surface', nameZh: '路面见本色', weight: 6 },
          { key: 'edges', nameZh: '路沿、边角', weight: 4 },
          { key: 'gullies', nameZh: '雨水口', weight: 4 },
        ],
        // our choice: the standard grades cleanliness; what a grade costs is the district's call
        deductions: [
          { minScoreX100: 9_000, pointsX100: 0 },
          { minScoreX100: 8_000, pointsX100: 100 },
          { minScoreX100: 7_000, pointsX100: 200 },
          { minScoreX100: 6_000, pointsX100: 300 },
          { minScoreX100: 0, pointsX100: 500 },
        ],
      },
      dustByWeight: { samplesPerSegment: 3, frameM2: 1, limitMgPerM2: 10_000, defectCode: 'CL-DUST' }, // Zhengzhou: 3 points per road, 1 m² frame, ≤ 10 g/m²
    },
  },
};
