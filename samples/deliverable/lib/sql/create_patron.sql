-- ILS v2.3.1 スキーマ定義（2024-01-15）
-- 対象: Oracle Database 19c (19.3.0.0.0)

CREATE TABLE PATRON (
    PATRON_NO   VARCHAR2(10)  NOT NULL,  -- 利用者番号
    SHIMEI      VARCHAR2(40)  NOT NULL,  -- 氏名
    KANA        VARCHAR2(60),            -- カナ氏名
    TEL         VARCHAR2(15),            -- 電話番号
    MAIL        VARCHAR2(128),           -- メールアドレス
    ZIP         VARCHAR2(8),             -- 郵便番号
    JUSHO       VARCHAR2(120),           -- 住所
    BIRTH       DATE,                    -- 生年月日
    KOJIN_NO    CHAR(12),                -- 個人番号（v2.3 で廃止、常に NULL）
    REG_DATE    DATE DEFAULT SYSDATE,    -- 登録日
    CONSTRAINT PK_PATRON PRIMARY KEY (PATRON_NO)
) TABLESPACE ILS_DATA;

CREATE TABLE LOAN (
    LOAN_ID     NUMBER(12)    NOT NULL,  -- 貸出番号
    PATRON_NO   VARCHAR2(10)  NOT NULL,  -- 利用者番号
    BIB_ID      NUMBER(10)    NOT NULL,  -- 書誌ID
    LENT_AT     DATE          NOT NULL,  -- 貸出日
    DUE_DATE    DATE          NOT NULL,  -- 返却期限
    RETURNED_AT DATE,                    -- 返却日
    CONSTRAINT PK_LOAN PRIMARY KEY (LOAN_ID)
) TABLESPACE ILS_DATA;

CREATE INDEX IX_LOAN_DUE ON LOAN (DUE_DATE) TABLESPACE ILS_INDEX;

-- 督促対象の抽出（延滞 7 日以上）
CREATE OR REPLACE VIEW V_OVERDUE AS
SELECT L.PATRON_NO, P.SHIMEI, P.TEL, L.BIB_ID, L.DUE_DATE,
       TRUNC(SYSDATE) - L.DUE_DATE AS LATE_DAYS
  FROM LOAN L JOIN PATRON P ON P.PATRON_NO = L.PATRON_NO
 WHERE L.RETURNED_AT IS NULL AND L.DUE_DATE < TRUNC(SYSDATE) - 7;
