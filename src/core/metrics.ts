// The figure taxonomy as data (see docs/domain.md): which metric a number counts, its default unit, the
// words used in labels, and the trigger words that assign a number to it. Kept as data so the taxonomy can
// grow (new languages, new phrasing) without touching the extractor.
import type { Metric } from './types.js';

export interface MetricSpec {
  metric: Metric;
  /** Unit when the text gives none ("police arrested 57"). Currency metrics have no default: they need one. */
  defaultUnit: string | null;
  /** Label words: what happened to what is counted, e.g. "registered at the embassy". */
  label: string;
  /**
   * Trigger phrases, lowercase. A phrase starting with a Latin letter matches on word boundaries and a
   * trailing `*` makes it a prefix ("repatriat*"); other scripts (Han, Thai, Khmer) match as substrings.
   */
  triggers: readonly string[];
  /** Weak triggers count only when no ordinary trigger of any metric is nearer (e.g. "worth"). */
  weak?: readonly string[];
}

export const METRICS: readonly MetricSpec[] = [
  {
    metric: 'people_released',
    defaultUnit: 'people',
    label: 'released or escaped from scam compounds',
    triggers: [
      'released', 'release', 'releases', 'freed', 'set free', 'fled', 'flee', 'flees', 'fleeing', 'escaped',
      'escape', 'escapes', 'escaping', 'left', 'leaving', 'depart*', 'exodus', 'walked out', 'let go',
      'allowed to leave', 'poured out', 'streamed out', 'crossed', 'freeing', 'releasing',
      // Indonesian, Vietnamese
      'dibebaskan', 'membebaskan', 'bebas', 'kabur', 'melarikan diri', 'keluar', 'được thả', 'trả tự do', 'bỏ trốn',
      'thoát',
      // Chinese, Thai, Korean, Khmer
      '释放', '逃离', '逃出', '离开', 'ปล่อยตัว', 'หลบหนี', '풀려', '탈출', 'ដោះលែង', 'រត់គេច',
    ],
  },
  {
    metric: 'people_held',
    defaultUnit: 'people',
    label: 'held in scam compounds',
    triggers: [
      'held', 'holding', 'trapped', 'working inside', 'work inside', 'working in', 'work in', 'forced to work',
      'forced to', 'captive', 'enslaved', 'confined', 'remain inside', 'still inside', 'trafficked into',
      'employed in', 'toiling', 'kept in', 'locked',
      'disekap', 'terjebak', 'dipaksa bekerja', 'bị giam', 'mắc kẹt', 'bị giữ',
      '被困', '被扣押', '滞留', '被迫', 'ถูกกักขัง', 'ติดอยู่', '감금',
    ],
  },
  {
    metric: 'people_rescued',
    defaultUnit: 'people',
    label: 'rescued',
    triggers: [
      'rescued', 'rescue', 'rescues', 'rescuing', 'saved', 'extracted', 'liberated', 'evacuated', 'evacuating',
      'diselamatkan', 'menyelamatkan', 'penyelamatan', 'dievakuasi', 'giải cứu', '获救', '解救', '营救', 'ช่วยเหลือ',
      '구출', '구조', 'ជួយសង្គ្រោះ', 'សង្គ្រោះ',
    ],
  },
  {
    metric: 'people_repatriated',
    defaultUnit: 'people',
    label: 'repatriated',
    triggers: [
      'repatriat*', 'deport*', 'returned home', 'return home', 'returning home', 'sent home', 'flown home',
      'flew home', 'sent back', 'brought home', 'brought back', 'expelled', 'returned to', 'handed over',
      'handing over',
      'dipulangkan', 'memulangkan', 'pemulangan', 'dideportasi', 'hồi hương', 'trục xuất', 'về nước', 'bàn giao',
      'trao trả', '遣返', '回国', 'ส่งกลับ', 'ส่งตัว', '송환', 'បញ្ជូនត្រឡប់', 'បញ្ជូនមកវិញ', 'និរទេស',
    ],
  },
  {
    metric: 'nationals_registered',
    defaultUnit: 'people',
    label: 'registered at the embassy',
    triggers: [
      'registered', 'register', 'registration', 'sought help', 'sought assistance', 'seeking help',
      'seeking assistance', 'reported to the embassy', 'contacted the embassy', 'asked the embassy',
      'approached the embassy', 'signed up',
      'melapor', 'terdaftar', 'mendaftar', 'đăng ký', '登记', 'ลงทะเบียน',
    ],
  },
  {
    metric: 'people_arrested',
    defaultUnit: 'people',
    label: 'arrested',
    triggers: [
      'arrested', 'arrest', 'arrests', 'arresting', 'detained', 'detain', 'detaining', 'detention', 'charged',
      'apprehended', 'caught', 'rounded up', 'taken into custody', 'nabbed', 'indicted', 'convicted', 'extradited',
      'in custody',
      'ditangkap', 'menangkap', 'penangkapan', 'ditahan', 'bắt giữ', 'bị bắt', '抓获', '逮捕', '拘留', 'จับกุม', '검거',
      '체포', 'ចាប់ខ្លួន', 'ឃាត់ខ្លួន',
    ],
  },
  {
    metric: 'compounds',
    defaultUnit: null,
    label: 'scam compounds raided or closed',
    triggers: [
      'raided', 'raid', 'raids', 'closed', 'shut', 'shut down', 'dismantled', 'demolished', 'searched',
      'inspected', 'incidents', 'verified', 'operating', 'digerebek', 'đột kích', '捣毁', '查处', 'บุกค้น',
    ],
  },
  {
    metric: 'scam_revenue',
    defaultUnit: null,
    label: 'scam revenue',
    triggers: [
      'revenue', 'revenues', 'generate', 'generates', 'generated', 'generating', 'earn', 'earns', 'earned',
      'earning', 'annually', 'a year', 'per year', 'each year', 'every year', 'per annum', 'profits', 'proceeds',
      'lost', 'losses', 'defrauded', 'swindled', 'stole', 'stolen', 'cheated', 'industry',
      'pendapatan', 'keuntungan', 'kerugian', 'thiệt hại', 'doanh thu', 'mỗi năm', '收入', '每年', '诈骗',
    ],
    weak: ['worth', 'valued'],
  },
  {
    metric: 'assets_seized',
    defaultUnit: null,
    label: 'assets seized',
    triggers: [
      'seized', 'seize', 'seizure', 'seizing', 'confiscated', 'confiscation', 'frozen', 'froze', 'freeze',
      'forfeit*', 'impounded',
      'disita', 'dibekukan', 'thu giữ', 'tịch thu', 'phong tỏa', '没收', '冻结', '查封', '扣押', 'ยึด', '압수',
    ],
  },
  {
    metric: 'sanctioned',
    defaultUnit: 'entities',
    label: 'sanctioned',
    triggers: ['sanctioned', 'sanction', 'sanctions', 'sanctioning', 'designated', 'designation', 'blacklisted', '制裁'],
  },
  {
    metric: 'cases',
    defaultUnit: 'cases',
    label: 'cases',
    triggers: [
      'complaints', 'complaint', 'investigations', 'investigation', 'cases', 'case', 'prosecutions',
      'prosecuted', 'lawsuits', 'convictions', 'filed', 'opened',
      'kasus', 'laporan', 'pengaduan', '案件', 'คดี',
    ],
  },
];

export const METRIC_BY_NAME: ReadonlyMap<Metric, MetricSpec> = new Map(METRICS.map((m) => [m.metric, m]));
