#!/usr/bin/python3
"""Makes the spreadsheet fixtures whose dates are serial numbers under a
date number format, the way Calc and Excel store typed dates: two CSV
files are imported into LibreOffice Calc (Debian package
libreoffice-calc-nogui) with their date columns typed as dates (YMD,
Japanese locale), then saved as xlsx and Excel 97 (this Calc does not
write Excel 95; the Excel 95 reading of dates is tested on a hand-built
workbook):
    /usr/bin/python3 scanners/office/testdata/make_dates.py
Tests never run this. All data is synthetic (common surnames and given
names combined by row number, generated phone numbers, a made-up city).

dates-registry.*  24 patrons: 利用者番号 (a number), 氏名, 電話番号, 住所, 生年月日
dates-loans.*     16 overdue loans: 利用者番号, 氏名, 書名, 貸出日, 返却期限, 冊数 (a number)
The .csv files are the twins the tests compare the spreadsheets with."""
import datetime, os, shutil, subprocess, tempfile

here = os.path.dirname(os.path.abspath(__file__))
sei = ['佐藤', '鈴木', '高橋', '田中', '伊藤', '渡辺', '山本', '中村', '小林', '加藤', '吉田', '山田']
mei = ['健一', '誠', '浩', '恵子', '洋子', '幸子', '由美子', '美穂']
titles = ['吾輩は猫である', '坊っちゃん', '銀河鉄道の夜', '羅生門', '雪国']

def person(i):
    tel = '%s-%04d-%04d' % (['090', '080', '070'][i % 3], (i * 4253 + 2711) % 9000 + 1000, (i * 104729 + 5147) % 9000 + 1000)
    return 20000 + i * 37, '%s %s' % (sei[(i * 7) % 12], mei[(i * 5) % 8]), tel

reg = ['利用者番号,氏名,電話番号,住所,生年月日']
for i in range(1, 25):
    no, name, tel = person(i)
    b = datetime.date(1941, 4, 1) + datetime.timedelta(days=(i * 2731) % 24000)
    reg.append('%d,%s,%s,愛知県架空市本町%d丁目%d番,%s' % (no, name, tel, 1 + i % 5, 1 + i % 20, b.strftime('%Y/%m/%d')))
loans = ['利用者番号,氏名,書名,貸出日,返却期限,冊数']
for i in range(1, 17):
    no, name, _ = person(2 * i)
    lent = datetime.date(2026, 9, 1) + datetime.timedelta(days=i)
    loans.append('%d,%s,%s,%s,%s,%d' % (no, name, titles[i % 5], lent.strftime('%Y/%m/%d'),
                                      (lent + datetime.timedelta(days=14)).strftime('%Y/%m/%d'), 1 + i % 3))

tmp = tempfile.mkdtemp()
try:
    for name, lines, datecols in [('dates-registry', reg, '5/5'), ('dates-loans', loans, '4/5/5/5')]:
        src = os.path.join(tmp, name + '.csv')
        with open(src, 'w', encoding='utf-8') as f:
            f.write('\n'.join(lines) + '\n')
        shutil.copy(src, os.path.join(here, name + '.csv'))
        for out, filt in [('xlsx', 'xlsx:Calc MS Excel 2007 XML'), ('xls', 'xls:MS Excel 97')]:
            d = os.path.join(tmp, out)
            os.makedirs(d, exist_ok=True)
            subprocess.run(['soffice', '--headless', '-env:UserInstallation=file://' + tmp + '/profile',
                            '--infilter=CSV:44,34,76,1,' + datecols + ',1041', '--convert-to', filt, '--outdir', d, src],
                           check=True, capture_output=True)
            shutil.copy(os.path.join(d, name + '.' + out), os.path.join(here, name + '.' + out))
finally:
    shutil.rmtree(tmp)
