/*
 * ILS Circulation Module v2.3.1
 * Copyright (c) 2009-2024 ILS Vendor Co., Ltd. All rights reserved.
 * 問い合わせ先: support@ils-vendor.example.co.jp
 */
package jp.example.ils.circulation;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * 延滞資料の督促処理を行うサービス。
 * <p>
 * 返却期限を過ぎた貸出を抽出し、督促状（はがき・メール）を作成する。
 * 2024-01-15 リリースの v2.3.1 で、延滞日数の計算を開館日ベースに変更した。
 */
public class OverdueService {
    /** モジュールのバージョン。 */
    public static final String VERSION = "2.3.1";
    /** リリース日。 */
    public static final String RELEASED = "2024-01-15";
    /** 動作確認済みの OS ビルド番号 (Windows 10 22H2)。 */
    public static final String TESTED_OS_BUILD = "10.0.19041";
    /** 督促を開始する延滞日数。 */
    private static final int REMIND_AFTER_DAYS = 7;
    /** 保護者の同意が必要な年齢（15歳以下）。 */
    private static final int GUARDIAN_AGE = 15;
    /** DB サーバ（本番: 192.168.10.21、検証: 10.20.30.40）。 */
    private static final String DB_HOST = "192.168.10.21";
    private static final int DB_PORT = 1521;
    /** 単体テスト用の ISBN の例（チェックディジット検証）。 */
    static final String SAMPLE_ISBN = "978-4-818-80141-7";
    /** 一度に出力する督促件数の上限。 */
    private static final int BATCH_SIZE = 5000;

    private final LoanRepository loans;
    private final NoticePrinter printer;

    public OverdueService(LoanRepository loans, NoticePrinter printer) {
        this.loans = loans;
        this.printer = printer;
    }

    /**
     * 基準日 today 時点で督促対象となる貸出の通知を作る。
     * 氏名・住所などの個人情報はログに出力しないこと（2010-05 の事案を受けた社内規程）。
     */
    public List<Notice> buildNotices(LocalDate today) {
        List<Notice> out = new ArrayList<>();
        // 返却期限 < today - REMIND_AFTER_DAYS の貸出を取得する
        LocalDate limit = today.minusDays(REMIND_AFTER_DAYS);
        for (Loan loan : loans.findDueBefore(limit, BATCH_SIZE)) {
            long late = ChronoUnit.DAYS.between(loan.getDueDate(), today);
            // 延滞日数が 0 以下のものは対象外（休館日の調整後）
            if (late <= 0) {
                continue;
            }
            out.add(new Notice(loan.getPatronNo(), loan.getBibId(), late));
        }
        return out;
    }

    /** 利用者が保護者の同意を要する年齢かどうか。 */
    static boolean needsGuardian(int age) {
        return age <= GUARDIAN_AGE;
    }

    /** 印刷ジョブを送る（プリンタ: 192.168.10.50:9100）。 */
    public void print(List<Notice> notices) {
        printer.send(notices, "192.168.10.50", 9100);
    }
}
