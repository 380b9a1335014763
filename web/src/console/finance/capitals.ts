/** Amounts as Chinese payment forms write them in words. */

const digits = '零壹贰叁肆伍陆柒捌玖';
const smallUnits = ['', '拾', '佰', '仟'];
const bigUnits = ['', '万', '亿', '万亿'];

/**
 * Integer fen in the capital numerals of Chinese payment forms (人民币大写, as banks and
 * 财政 forms write them): 44232000 → 人民币肆拾肆万贰仟叁佰贰拾元整. String digits only.
 */
export function fenInCapitals(fen: number): string {
  if (!Number.isSafeInteger(fen)) throw new RangeError(`fenInCapitals takes integer fen, not ${fen}`);
  const negative = fen < 0;
  const text = String(Math.abs(fen)).padStart(3, '0');
  const yuan = text.slice(0, -2).replace(/^0+/, '');
  const jiao = Number(text.at(-2));
  const cents = Number(text.at(-1));
  let words = '';
  if (yuan !== '') {
    const groups: string[] = [];
    for (let end = yuan.length; end > 0; end -= 4) groups.unshift(yuan.slice(Math.max(0, end - 4), end));
    let zeroPending = false;
    groups.forEach((group, index) => {
      const bigUnit = bigUnits[groups.length - 1 - index] ?? '';
      let groupWords = '';
      const padded = group.padStart(4, '0');
      for (let i = 0; i < 4; i += 1) {
        const digit = Number(padded[i]);
        if (digit === 0) {
          if (groupWords !== '' || words !== '') zeroPending = true;
          continue;
        }
        if (zeroPending) groupWords += '零';
        zeroPending = false;
        groupWords += digits[digit]! + smallUnits[3 - i]!;
      }
      if (groupWords !== '') words += groupWords + bigUnit;
      // A group's trailing zeros need no 零: the next group's leading zeros decide it.
      zeroPending = false;
    });
    words += '元';
  }
  if (jiao === 0 && cents === 0) words = words === '' ? '零元整' : `${words}整`;
  else {
    if (jiao !== 0) words += `${digits[jiao]}角`;
    else if (words !== '') words += '零';
    if (cents !== 0) words += `${digits[cents]}分`;
    else words += '整';
  }
  return `${negative ? '负' : ''}人民币${words}`;
}
