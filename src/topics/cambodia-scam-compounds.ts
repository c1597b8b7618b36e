// The default topic: Cambodia's online scam compounds (see docs/domain.md of the shared docs).
// Pure data. Terms are grouped by language inside each list so a reviewer fluent in one language can
// check "their" lines; the syntax (substring vs whole word, trailing `*`) is described in profile.ts.

import type { TopicProfile } from './profile.js';

export const cambodiaScamCompounds: TopicProfile = {
  id: 'cambodia-scam-compounds',
  name: "Cambodia's online scam compounds",
  anchorName: 'Cambodia',

  anchors: [
    // English (also used by Indonesian and Vietnamese outlets for the place names)
    'Cambodia', 'Cambodian', 'Cambodians', 'Phnom Penh', 'Sihanoukville', 'Preah Sihanouk', 'Bavet', 'Poipet', 'Kampot', 'Koh Kong',
    'Siem Reap', 'Svay Rieng', "O'Smach", 'O Smach', 'Oddar Meanchey', 'Kandal',
    // Khmer
    'កម្ពុជា', 'ភ្នំពេញ', 'ព្រះសីហនុ', 'បាវិត', 'ប៉ោយប៉ែត', 'កំពត', 'កោះកុង', 'សៀមរាប', 'ស្វាយរៀង',
    // Thai (เขมร is how Thai media often name the country)
    'กัมพูชา', 'เขมร', 'พนมเปญ', 'สีหนุวิลล์', 'ปอยเปต', 'บาเวต', 'เกาะกง', 'กำปอต', 'เสียมราฐ',
    // Chinese, simplified and traditional
    '柬埔寨', '金边', '金邊', '西港', '西哈努克', '木牌', '波贝', '波貝', '贡布', '貢布',
    // (国公 for Koh Kong is left out: it sits inside 中国公民, "Chinese citizens")
    // Indonesian
    'Kamboja',
    // Vietnamese
    'Campuchia', 'Cam Pu Chia', 'Phnôm Pênh', 'Xihanúc',
    // Korean
    '캄보디아', '프놈펜', '시아누크빌', '바벳', '포이펫', '캄폿', '코콩',
  ],

  industry: [
    // English
    'scam compound*', 'scam centre*', 'scam center*', 'scam hub*', 'scam park*', 'scam factor*',
    'scam operation*', 'scam industry', 'scam syndicate*', 'scam network*', 'scam empire*', 'scam job*',
    'scamming industry', 'scamming operation*', 'online scam*', 'cyber scam*', 'cyberscam*', 'online fraud*',
    'cyber fraud*', 'fraud factor*', 'fraud compound*', 'fraud complex*', 'scam complex*', 'fraud centre*', 'fraud center*',
    'forced scamming',
    'forced to scam', 'forced criminality', 'pig butcher*', 'pigbutcher*', 'romance scam*', 'investment scam*',
    'crypto scam*', 'job scam*', 'scam ring*', 'scam gang*', 'fraud ring*', 'fraud gang*', 'fraud syndicate*',
    'call centre gang*', 'call center gang*',
    // Khmer: online scam, scam centre, scam site, technology-crime (the government's term)
    'ឆបោកតាមអនឡាញ', 'ឆបោកតាមប្រព័ន្ធអនឡាញ', 'មជ្ឈមណ្ឌលឆបោក', 'ទីតាំងឆបោក', 'អគារឆបោក', 'បទល្មើសបច្ចេកវិទ្យា',
    'បោកប្រាស់តាមប្រព័ន្ធបច្ចេកវិទ្យា',
    // Thai: call-centre gangs, scammer buildings, online fraud
    'แก๊งคอลเซ็นเตอร์', 'แก๊งสแกมเมอร์', 'ตึกสแกมเมอร์', 'อาคารสแกมเมอร์', 'ศูนย์สแกมเมอร์', 'หลอกลวงออนไลน์',
    'ฉ้อโกงออนไลน์', 'ถูกหลอกไปทำงาน',
    // Chinese: scam park, telecom fraud, pig-butchering, fraud group
    '诈骗园区', '詐騙園區', '电诈园区', '電詐園區', '电诈', '電詐', '电信诈骗', '電信詐騙', '杀猪盘', '殺豬盤',
    '网络诈骗', '網路詐騙', '網絡詐騙', '诈骗集团', '詐騙集團', '诈骗窝点', '詐騙窩點',
    // Indonesian
    'penipuan online', 'penipuan daring', 'sindikat penipuan', 'online scamming',
    // Vietnamese
    'lừa đảo trực tuyến', 'lừa đảo qua mạng', 'đường dây lừa đảo', 'việc nhẹ lương cao', 'công ty lừa đảo',
    // Korean
    '스캠 단지', '스캠단지', '범죄단지', '범죄 단지', '사기 조직', '사기조직', '온라인 사기', '로맨스 스캠',
  ],

  scamWords: [
    // English. Bare "fraud" is left out on purpose: election and accounting fraud are common confusers.
    // Spelled out rather than 'scam*', which would also catch "scampi".
    'scam', 'scams', 'scammed', 'scamming', 'scammer', 'scammers', 'fraudster', 'fraudsters',
    'fraudulent', 'swindle', 'swindled', 'swindlers', 'human trafficking', 'trafficked', 'trafficking victim*', 'forced labour', 'forced labor',
    // Khmer: cheat/scam, deceive, human trafficking
    'ឆបោក', 'បោកប្រាស់', 'ជួញដូរមនុស្ស',
    // Thai
    'สแกม', 'คอลเซ็นเตอร์', 'หลอกลวง', 'ฉ้อโกง', 'ค้ามนุษย์',
    // Chinese
    '诈骗', '詐騙', '骗局', '騙局', '园区', '園區', '人口贩卖', '人口販賣', '拐卖', '拐賣',
    // Indonesian
    'penipuan', 'sindikat', 'perdagangan orang', 'TPPO', 'judi online',
    // Vietnamese
    'lừa đảo', 'mua bán người',
    // Korean
    '스캠', '사기', '인신매매', '감금', '보이스피싱',
  ],

  actions: [
    // English
    'releas*', 'freed', 'rescu*', 'raid*', 'repatriat*', 'deport*', 'traffick*', 'sanction*', 'arrest*',
    'extradit*', 'crackdown*', 'crack down', 'shut down', 'closure*', 'escap*', 'fled', 'flee*', 'shelter*',
    'register*', 'indict*', 'charged', 'seiz*', 'confiscat*', 'forfeit*', 'detain*', 'prosecut*',
    // Khmer
    'ជួយសង្គ្រោះ', 'បញ្ជូនត្រឡប់', 'ចាប់ខ្លួន', 'ឆ្មក់', 'បង្ក្រាប', 'ដោះលែង', 'និរទេស',
    // Thai
    'ช่วยเหลือ', 'ส่งกลับ', 'ปล่อยตัว', 'จับกุม', 'บุกค้น', 'กวาดล้าง', 'คว่ำบาตร', 'ส่งตัว',
    // Chinese
    '解救', '遣返', '释放', '釋放', '突袭', '突襲', '搜查', '逮捕', '抓获', '抓獲', '制裁', '引渡', '打击', '打擊',
    // Indonesian
    'dipulangkan', 'pemulangan', 'repatriasi', 'dibebaskan', 'diselamatkan', 'penyelamatan', 'ditangkap',
    'penggerebekan', 'digerebek', 'dideportasi', 'deportasi',
    // Vietnamese
    'giải cứu', 'hồi hương', 'trao trả', 'bắt giữ', 'trục xuất', 'đột kích', 'tiếp nhận',
    // Korean
    '구출', '송환', '석방', '체포', '단속', '제재', '구조',
  ],

  entities: [
    {
      label: 'named operator',
      terms: [
        'Chen Zhi', 'Prince Group', 'Prince Holding Group', 'Jin Bei', 'Jinbei', 'Ly Yong Phat', 'LYP Group',
        '陈志', '陳志', '太子集团', '太子集團', '金贝', '金貝',
        'เฉินจื้อ', 'เฉิน จื้อ', 'พรินซ์กรุ๊ป', 'พรินซ์ กรุ๊ป', 'ปรินซ์กรุ๊ป',
        '천즈', '프린스그룹', '프린스 그룹',
      ],
    },
    {
      label: 'payment network tied to scam money',
      terms: ['Huione*', 'Haowang', '汇旺', '匯旺', '후이원', 'ฮุยวัน'],
    },
  ],

  adjacent: [
    {
      label: 'Myanmar',
      terms: [
        'Myanmar', 'Burma*', 'KK Park', 'Shwe Kokko', 'Myawaddy', 'Karen State', 'Kayin State', 'Kokang',
        '缅甸', '緬甸', '妙瓦底', 'KK园区', 'KK園區', '亚太新城', '亞太新城', '果敢',
        'เมียนมา', 'พม่า', 'เมียวดี', 'เคเคปาร์ค', 'ชเวโก๊กโก่',
        'មីយ៉ាន់ម៉ា', '미얀마', '먀와디',
      ],
    },
    {
      label: 'Laos',
      terms: [
        'Laos', 'Lao PDR', 'Golden Triangle', 'Bokeo', 'Lào', '老挝', '老撾', '寮國', '金三角',
        'ประเทศลาว', 'สปป.ลาว', 'สามเหลี่ยมทองคำ', '라오스', '골든 트라이앵글',
      ],
    },
    {
      label: 'the Philippines',
      terms: [
        'Philippine*', 'POGO*', 'Filipina', 'Manila', '菲律宾', '菲律賓', 'ฟิลิปปินส์', '필리핀', 'ហ្វីលីពីន',
      ],
    },
  ],

  negatives: [
    // English
    'touris*', 'Angkor*', 'temple*', 'garment*', 'apparel', 'footwear', 'border clash*', 'border dispute*',
    'ceasefire', 'artillery', 'landmine*', 'troops', 'election*', 'ballot*', 'flood*', 'monsoon', 'phishing',
    'HMRC', 'rice export*', 'dengue',
    // Khmer: tourist, Angkor Wat, garment, flood, election
    'ទេសចរ', 'អង្គរវត្ត', 'កាត់ដេរ', 'ទឹកជំនន់', 'បោះឆ្នោត',
    // Thai: tourism, Angkor Wat, clash, election
    'ท่องเที่ยว', 'นครวัด', 'ปะทะ', 'เลือกตั้ง',
    // Chinese
    '旅游', '旅遊', '吴哥窟', '吳哥窟', '服装', '服裝', '成衣', '边境冲突', '邊境衝突', '选举', '選舉',
    // Indonesian
    'pariwisata', 'wisatawan', 'wisata',
    // Vietnamese
    'du lịch', 'du khách',
    // Korean
    '관광', '앙코르와트', '여행',
  ],

  masks: [
    // Indonesian: kamboja is also the frangipani tree and flower.
    'bunga kamboja', 'kembang kamboja', 'pohon kamboja', 'bibit kamboja', 'daun kamboja',
    // Chinese: 园区 on its own often means a scam compound, but not in an industrial, technology or logistics park.
    '工业园区', '工業園區', '产业园区', '產業園區', '科技园区', '科技園區', '物流园区', '物流園區', '经济特区园区', '經濟特區園區',
  ],
};
