/*
 * ILS Patron Module v2.3.1 (2024-01-15)
 * Copyright (c) 2009-2024 ILS Vendor Co., Ltd.
 */
package jp.example.ils.patron;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * 利用者テーブル PATRON へのアクセス。
 * 列: PATRON_NO（利用者番号）, SHIMEI（氏名）, KANA（カナ氏名）, TEL（電話番号）,
 * ZIP（郵便番号）, JUSHO（住所）, BIRTH（生年月日）。
 */
public class PatronDao {
    private static final String SELECT_BY_NO =
        "SELECT PATRON_NO, SHIMEI, KANA, TEL, ZIP, JUSHO, BIRTH FROM PATRON WHERE PATRON_NO = ?";
    private static final String UPDATE_TEL =
        "UPDATE PATRON SET TEL = ?, UPDATED_AT = SYSDATE WHERE PATRON_NO = ?";
    /** 電話番号の形式チェック（ハイフンあり、10〜11桁）。 */
    static final String TEL_PATTERN = "^0\\d{1,4}-\\d{1,4}-\\d{4}$";
    /** 郵便番号の形式チェック（例: 444-0000）。 */
    static final String ZIP_PATTERN = "^\\d{3}-\\d{4}$";

    private final Connection conn;

    public PatronDao(Connection conn) {
        this.conn = conn;
    }

    /** 利用者番号から利用者を取得する。見つからなければ null。 */
    public Patron find(String patronNo) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement(SELECT_BY_NO)) {
            ps.setString(1, patronNo);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                Patron p = new Patron();
                p.setPatronNo(rs.getString("PATRON_NO"));
                p.setName(rs.getString("SHIMEI"));     // 氏名
                p.setKana(rs.getString("KANA"));       // カナ氏名
                p.setTel(rs.getString("TEL"));         // 電話番号
                p.setZip(rs.getString("ZIP"));         // 郵便番号
                p.setAddress(rs.getString("JUSHO"));   // 住所
                p.setBirth(rs.getDate("BIRTH"));       // 生年月日
                return p;
            }
        }
    }

    /** 電話番号を更新する。変更履歴は PATRON_LOG に残る（保存期間 5 年）。 */
    public int updateTel(String patronNo, String tel) throws SQLException {
        if (!tel.matches(TEL_PATTERN)) {
            throw new IllegalArgumentException("電話番号の形式が不正です");
        }
        try (PreparedStatement ps = conn.prepareStatement(UPDATE_TEL)) {
            ps.setString(1, tel);
            ps.setString(2, patronNo);
            return ps.executeUpdate();
        }
    }
}
