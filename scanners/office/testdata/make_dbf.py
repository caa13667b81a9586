#!/usr/bin/python3
"""Makes the dBase fixtures of the office package tests with Debian's
python3-dbf (run with Debian's /usr/bin/python3):
    /usr/bin/python3 scanners/office/testdata/make_dbf.py
Tests never run this. All data is synthetic: common surnames and given
names combined by row number, phone numbers, addresses in a made-up city
and birth dates generated from the row number.

patrons.dbf   dBase III with a memo file (patrons.dbt), code page byte
              0x13 (CP932), 30 patrons of which 3 are deleted
kashidashi.dbf Visual FoxPro, code page byte 0x7B (CP932), Japanese field
              names, 20 overdue loans
and their CSV twins (UTF-8), the live records only:
patrons.csv, patrons.deleted.csv, kashidashi.csv."""
import csv, datetime, os
import dbf

here = os.path.dirname(os.path.abspath(__file__))
sei = ['佐藤', '鈴木', '高橋', '田中', '伊藤', '渡辺', '山本', '中村', '小林', '加藤', '吉田', '山田', '佐々木',
       '山口', '松本', '井上', '木村', '斎藤', '清水', '山崎', '池田', '橋本', '阿部', '石川', '前田']
mei = ['健一', '誠', '浩', '大輔', '翔太', '拓也', '恵子', '洋子', '幸子', '由美子', '美穂', '裕子', '直美',
       '真由美', '彩', '美咲', '久美子', '智子', '和子', '明美', '千尋']
towns = ['本町', '栄町', '若松町', '緑が丘', '桜台', '旭町']
titles = ['吾輩は猫である', '坊っちゃん', '銀河鉄道の夜', '羅生門', '雪国', '山椒魚', '人間失格']

def person(i):
    name = sei[(i * 7) % len(sei)] + ' ' + mei[(i * 11) % len(mei)]
    if i % 3 == 0:
        tel = '0564-%02d-%04d' % (20 + (i * 13) % 79, (i * 7919 + 3187) % 9000 + 1000)
    else:
        tel = '%s-%04d-%04d' % (['090', '080', '070'][i % 3], (i * 4253 + 2711) % 9000 + 1000, (i * 104729 + 5147) % 9000 + 1000)
    addr = '愛知県架空市%s%d丁目%d番%d号' % (towns[i % 6], 1 + i % 5, 1 + (i * 3) % 28, 1 + i % 9)
    birth = datetime.date(1941, 4, 1) + datetime.timedelta(days=(i * 2731) % 24000)
    return 'P%06d' % (20000 + i * 37), name, tel, addr, birth

def write_csv(name, header, rows):
    with open(os.path.join(here, name), 'w', newline='', encoding='utf-8') as f:
        w = csv.writer(f, lineterminator='\n')
        w.writerow(header)
        w.writerows(rows)

for f in ['patrons.dbf', 'patrons.dbt', 'kashidashi.dbf']:
    if os.path.exists(os.path.join(here, f)):
        os.remove(os.path.join(here, f))

t = dbf.Table(os.path.join(here, 'patrons.dbf'),
              'PATRON_NO C(8); NAME C(20); TEL C(14); ADDRESS C(60); BIRTH D; NOTE M',
              dbf_type='db3', codepage='cp932')
t.open(dbf.READ_WRITE)
live, dead = [], []
for i in range(1, 31):
    no, name, tel, addr, birth = person(i)
    note = '督促状送付済' if i % 4 == 0 else ''
    t.append((no, name, tel, addr, birth, note))
    row = [no, name, tel, addr, birth.isoformat()] + ([note] if note else [])
    if i % 10 == 5:
        dbf.delete(t[-1])
        dead.append(row)
    else:
        live.append(row)
t.close()
hdr = ['PATRON_NO', 'NAME', 'TEL', 'ADDRESS', 'BIRTH', 'NOTE']
write_csv('patrons.csv', hdr, live)
write_csv('patrons.deleted.csv', hdr, dead)

t = dbf.Table(os.path.join(here, 'kashidashi.dbf'),
              '利用者番号 C(8); 氏名 C(20); 電話番号 C(14); 書名 C(30); 貸出日 D; 返却期限 D; 延滞日数 I',
              dbf_type='vfp', codepage='cp932')
t.open(dbf.READ_WRITE)
rows = []
for i in range(1, 21):
    no, name, tel, _, _ = person(2 * i)
    lent = datetime.date(2026, 9, 1) + datetime.timedelta(days=i % 15)
    due = lent + datetime.timedelta(days=14)
    days = (datetime.date(2026, 11, 20) - due).days
    t.append((no, name, tel, titles[i % len(titles)], lent, due, days))
    rows.append([no, name, tel, titles[i % len(titles)], lent.isoformat(), due.isoformat(), days])
t.close()
write_csv('kashidashi.csv', ['利用者番号', '氏名', '電話番号', '書名', '貸出日', '返却期限', '延滞日数'], rows)

# python3-dbf upper-cases field names byte by byte, which breaks the
# trail bytes of CP932 names (用 0x9770 becomes 0x9750): write the names
# as a Japanese application would.
names = ['利用者番号', '氏名', '電話番号', '書名', '貸出日', '返却期限', '延滞日数']
with open(os.path.join(here, 'kashidashi.dbf'), 'r+b') as f:
    for i, n in enumerate(names):
        b = n.encode('cp932')
        f.seek(32 + 32 * i)
        f.write(b + b'\0' * (11 - len(b)))
