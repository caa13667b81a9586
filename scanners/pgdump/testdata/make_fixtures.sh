#!/usr/bin/env bash
# Makes the PostgreSQL dump fixtures of this directory with Debian's
# postgresql (initdb, pg_ctl, pg_dump), run as root:
#   bash scanners/pgdump/testdata/make_fixtures.sh
# The database is synthetic: a library's 120 patrons and 60 overdue
# loans made up here (common surnames and given names combined at random,
# phone numbers, addresses in a made-up city and birth dates generated
# from the row number). The server listens on a Unix socket in a private
# temp directory only (no TCP).
set -euo pipefail
out=$(cd "$(dirname "$0")" && pwd)
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
tmp=$(mktemp -d)
chown postgres "$tmp"
trap 'su postgres -c "$bin/pg_ctl -D $tmp/data -m immediate stop" >/dev/null 2>&1 || true; rm -rf "$tmp"' EXIT
pg() { su postgres -c "$*"; }
pg "$bin/initdb -D $tmp/data -E UTF8 --locale=C.UTF-8 -A trust" >/dev/null
pg "$bin/pg_ctl -D $tmp/data -o \"-c listen_addresses='' -k $tmp\" -w start" >/dev/null
pg "$bin/createdb -h $tmp library"
cat > "$tmp/library.sql" <<'SQL'
CREATE TABLE patrons (
  patron_id  text PRIMARY KEY,
  full_name  text NOT NULL,
  phone      text,
  address    text,
  birth_date date
);
CREATE TABLE overdue_loans (
  loan_id    integer PRIMARY KEY,
  patron_id  text REFERENCES patrons,
  full_name  text,
  phone      text,
  title      text,
  loan_date  date,
  due_date   date
);
CREATE TABLE branches (code text, opening_hours text);
WITH s(sei) AS (SELECT ARRAY['佐藤','鈴木','高橋','田中','伊藤','渡辺','山本','中村','小林','加藤','吉田','山田','佐々木','山口','松本','井上','木村','斎藤','清水','山崎','池田','橋本','阿部','石川','前田','岡田','藤田','後藤','近藤','村上','遠藤','青木','坂本','神谷','杉浦','稲垣','柴田','野村']),
     g(mei) AS (SELECT ARRAY['健一','誠','浩','大輔','翔太','拓也','和也','直樹','隆','博之','健太','正人','秀樹','達也','陽介','恵子','洋子','幸子','由美子','美穂','裕子','直美','真由美','彩','美咲','久美子','智子','和子','明美','千尋','美紀','麻衣','奈々'])
INSERT INTO patrons
SELECT 'P' || lpad((20000 + i * 37)::text, 6, '0'),
       s.sei[1 + (i * 7) % array_length(s.sei, 1)] || ' ' || g.mei[1 + (i * 11) % array_length(g.mei, 1)],
       CASE WHEN i % 3 = 0 THEN '0564-' || lpad((20 + (i * 13) % 79)::text, 2, '0') || '-' || lpad(((i * 7919 + 3187) % 9000 + 1000)::text, 4, '0')
            ELSE (ARRAY['090','080','070'])[1 + i % 3] || '-' || lpad(((i * 4253 + 2711) % 9000 + 1000)::text, 4, '0') || '-' || lpad(((i * 104729 + 5147) % 9000 + 1000)::text, 4, '0') END,
       '愛知県架空市' || (ARRAY['本町','栄町','若松町','緑が丘','桜台','旭町'])[1 + i % 6] || (1 + i % 5) || '丁目' || (1 + (i * 3) % 28) || '番' || (1 + i % 9) || '号',
       date '1941-04-01' + (i * 2731) % 24000
FROM generate_series(1, 120) AS i, s, g;
INSERT INTO overdue_loans
SELECT 5000 + i, p.patron_id, p.full_name, p.phone,
       (ARRAY['吾輩は猫である','坊っちゃん','銀河鉄道の夜','羅生門','雪国','山椒魚','人間失格','走れメロス','こころ','舞姫'])[1 + i % 10],
       date '2026-09-01' + i % 20,
       date '2026-09-15' + i % 20
FROM generate_series(1, 60) AS i
JOIN patrons p ON p.patron_id = 'P' || lpad((20000 + (2 * i - 1) * 37)::text, 6, '0');
INSERT INTO branches VALUES ('C01', '9:00-19:00'), ('C02', '10:00-18:00');
SQL
pg "$bin/psql -q -h $tmp -d library -f $tmp/library.sql"
d="$bin/pg_dump -h $tmp -d library --no-owner"
pg "$d -Fc -f $tmp/library.dump"
pg "$d -Fc -Z0 -f $tmp/library-z0.dump"
pg "$d -Fd -f $tmp/library.dir"
pg "$d -Fp -f $tmp/library.sql.out"
# The CSV twins the tests compare the dumps with.
pg "$bin/psql -h $tmp -d library -c \"\\\\copy (SELECT * FROM patrons ORDER BY patron_id) TO '$tmp/patrons.csv' CSV HEADER\""
pg "$bin/psql -h $tmp -d library -c \"\\\\copy (SELECT * FROM overdue_loans ORDER BY loan_id) TO '$tmp/overdue_loans.csv' CSV HEADER\""
rm -rf "$out/library.dir"
cp -r "$tmp/library.dir" "$out/library.dir"
cp "$tmp/library.dump" "$tmp/library-z0.dump" "$tmp/patrons.csv" "$tmp/overdue_loans.csv" "$out/"
cp "$tmp/library.sql.out" "$out/library.sql"
"$bin/pg_dump" --version > "$out/PG_DUMP_VERSION"
ls -l "$out" "$out/library.dir"
