import { describe, expect, it } from 'vitest';
import { detectLanguage, primaryLanguage } from '../../src/core/lang.js';

describe('detectLanguage', () => {
  it.each([
    ['en', 'Police rescued hundreds of foreign workers from a scam compound in Sihanoukville, officials said on Monday.'],
    ['km', 'ប៉ូលិសបានជួយសង្គ្រោះពលករបរទេសរាប់រយនាក់ពីមជ្ឈមណ្ឌលឆបោកតាមអនឡាញនៅក្រុងព្រះសីហនុ'],
    ['th', 'ตำรวจช่วยเหลือแรงงานต่างชาติหลายร้อยคนจากแก๊งคอลเซ็นเตอร์ในกัมพูชา'],
    ['zh', '警方从柬埔寨西哈努克港的诈骗园区解救了数百名外国劳工。'],
    ['ja', 'カンボジアの詐欺拠点から日本人が保護された。'],
    ['ko', '캄보디아 범죄단지에서 한국인 수십 명이 구출됐다.'],
    ['id', 'Polisi menyelamatkan ratusan warga negara Indonesia yang menjadi korban penipuan online di Kamboja dan mereka akan dipulangkan.'],
    ['vi', 'Cảnh sát đã giải cứu hàng trăm người lao động nước ngoài khỏi một khu lừa đảo trực tuyến ở Campuchia.'],
    ['de', 'Die Polizei hat in Kambodscha hunderte Menschen aus einem Betrugszentrum befreit, die dort festgehalten wurden.'],
    ['fr', 'La police a libéré des centaines de travailleurs étrangers dans un centre d’escroquerie au Cambodge.'],
    ['es', 'La policía rescató a cientos de trabajadores extranjeros de un complejo de estafas en Camboya.'],
    ['it', 'La polizia ha liberato centinaia di lavoratori stranieri da un centro di truffe in Cambogia, e sono stati rimpatriati.'],
    ['ru', 'Полиция освободила сотни иностранных работников из мошеннического центра в Камбодже.'],
  ])('%s', (lang, text) => {
    expect(detectLanguage(text)).toBe(lang);
  });

  it('keeps Khmer when an English name is mixed in', () => {
    expect(detectLanguage('Prince Group ប៉ូលិសបានជួយសង្គ្រោះពលករបរទេសនៅក្រុងព្រះសីហនុ')).toBe('km');
  });

  it('falls back to the hint, then und', () => {
    expect(detectLanguage('12345', 'IT-it')).toBe('it');
    expect(detectLanguage('', 'en_US')).toBe('en');
    expect(detectLanguage('Xyz')).toBe('und');
  });

  it('parses hints', () => {
    expect(primaryLanguage('en-us')).toBe('en');
    expect(primaryLanguage('zh_CN')).toBe('zh');
    expect(primaryLanguage('')).toBeNull();
  });
});
