#!/usr/bin/python3
"""Makes the Word 97-2003 (.doc) fixtures of the office package tests:
writes each document as HTML and converts it with LibreOffice (Debian
package libreoffice-writer-nogui):
    /usr/bin/python3 scanners/office/testdata/make_doc.py
Tests never run this. All data is synthetic: common surnames and given
names combined by row number, phone numbers and addresses in a made-up
city generated from the row number. Each document's text twin (.doc.txt)
is what the reader must give: paragraphs as lines, a table's rows as
tab-separated lines.

tokusoku.doc  an overdue list: a heading, a paragraph and a table of 12
              patrons (利用者番号, 氏名, 電話番号, 書名, 返却期限)
letter.doc    a reminder letter to one patron, with a closing note
manual.doc    an English operations manual with the library's own phone
              number (8-bit text pieces): clean"""
import html, os, shutil, subprocess, tempfile

here = os.path.dirname(os.path.abspath(__file__))
sei = ['佐藤', '鈴木', '高橋', '田中', '伊藤', '渡辺', '山本', '中村', '小林', '加藤', '吉田', '山田', '佐々木']
mei = ['健一', '誠', '浩', '大輔', '翔太', '恵子', '洋子', '幸子', '由美子', '美穂', '裕子']
titles = ['吾輩は猫である', '坊っちゃん', '銀河鉄道の夜', '羅生門', '雪国', '山椒魚', '人間失格']

def tel(i):
    return '%s-%04d-%04d' % (['090', '080', '070'][i % 3], (i * 4253 + 2711) % 9000 + 1000, (i * 104729 + 5147) % 9000 + 1000)

docs = {}
hdr = ['利用者番号', '氏名', '電話番号', '書名', '返却期限']
rows = [['P%06d' % (20000 + i * 37), sei[(i * 7) % len(sei)] + ' ' + mei[(i * 5) % len(mei)], tel(i),
         titles[i % len(titles)], '2026-10-%02d' % (1 + i)] for i in range(1, 13)]
docs['tokusoku'] = (['延滞者一覧（督促対象）', '返却期限を過ぎた資料の利用者です。電話で督促してください。'], [hdr] + rows, [])
docs['letter'] = ([
    '〒444-0864 愛知県架空市本町2丁目8番3号',
    '中村 正人 様',
    '図書館資料の返却について（督促）',
    'お借りいただいている資料「銀河鉄道の夜」の返却期限（2026年10月15日）が過ぎています。',
    '至急ご返却くださいますようお願いいたします。',
    '架空市立中央図書館 0564-23-4111',
], None, ['返却済みの場合はご容赦ください。'])
docs['manual'] = ([
    'Circulation desk operations manual',
    'Start the circulation client from the desktop and sign in with your staff account.',
    'For help call the library system office at 0564-23-4111 (weekdays 9:00-17:00).',
], None, [])

tmp = tempfile.mkdtemp()
try:
    for name, (paras, table, notes) in docs.items():
        body, text = [], []
        for p in paras:
            body.append('<p>%s</p>' % html.escape(p))
            text.append(p)
        if table:
            body.append('<table border="1">')
            for r in table:
                body.append('<tr>' + ''.join('<td>%s</td>' % html.escape(c) for c in r) + '</tr>')
                text.append('\t'.join(r))
            body.append('</table>')
        for n in notes:
            body.append('<p>※%s</p>' % html.escape(n))
            text.append('※' + n)
        src = os.path.join(tmp, name + '.html')
        with open(src, 'w', encoding='utf-8') as f:
            f.write('<html><head><meta charset="utf-8"><title>%s</title></head><body>%s</body></html>' % (name, '\n'.join(body)))
        subprocess.run(['soffice', '--headless', '-env:UserInstallation=file://' + tmp + '/profile',
                        '--convert-to', 'doc:MS Word 97', '--outdir', tmp, src], check=True, capture_output=True)
        shutil.copy(os.path.join(tmp, name + '.doc'), os.path.join(here, name + '.doc'))
        with open(os.path.join(here, name + '.doc.txt'), 'w', encoding='utf-8') as f:
            f.write('\n'.join(text) + '\n')
finally:
    shutil.rmtree(tmp)
