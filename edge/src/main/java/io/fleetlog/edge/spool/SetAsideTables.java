package io.fleetlog.edge.spool;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Read-only queries over a spool's set-aside tables, {@code rejected} and {@code quarantined} (see
 * {@link SqliteSpool} for their columns): why a run of seqs is missing, and the runs for {@code
 * fleetlog inspect}. A version-1 spool has no {@code quarantined} table; it reads as empty.
 */
final class SetAsideTables {
    private SetAsideTables() {}

    static HoleCause holeCause(Connection db, long fromSeq, long toSeq) throws SQLException {
        boolean q;
        boolean r;
        try (PreparedStatement ps =
                db.prepareStatement("SELECT count(*) FROM quarantined WHERE first_seq <= ? AND last_seq >= ?")) {
            ps.setLong(1, toSeq);
            ps.setLong(2, fromSeq);
            try (ResultSet rs = ps.executeQuery()) {
                q = rs.next() && rs.getLong(1) > 0;
            }
        }
        try (PreparedStatement ps = db.prepareStatement("SELECT count(*) FROM rejected WHERE seq BETWEEN ? AND ?")) {
            ps.setLong(1, fromSeq);
            ps.setLong(2, toSeq);
            try (ResultSet rs = ps.executeQuery()) {
                r = rs.next() && rs.getLong(1) > 0;
            }
        }
        return q && r ? HoleCause.MIXED : q ? HoleCause.QUARANTINED : r ? HoleCause.SET_ASIDE : HoleCause.DROPPED;
    }

    /** Up to {@code max} ranges of set-aside samples (rejected and quarantined), oldest first. */
    static List<SetAside> list(Connection db, int max) throws SQLException {
        List<SetAside> out = new ArrayList<>();
        try (PreparedStatement ps = db.prepareStatement("SELECT min(seq), max(seq), count(*), reason FROM"
                + " (SELECT seq, reason, seq - row_number() OVER (PARTITION BY reason ORDER BY seq) AS grp"
                + " FROM rejected) GROUP BY reason, grp ORDER BY 1 LIMIT ?")) {
            ps.setInt(1, max);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new SetAside(
                            SetAside.Kind.REJECTED, rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getString(4)));
                }
            }
        }
        boolean hasQuarantine;
        try (Statement st = db.createStatement();
                ResultSet rs = st.executeQuery(
                        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'quarantined'")) {
            hasQuarantine = rs.next() && rs.getLong(1) > 0;
        }
        if (hasQuarantine) {
            try (PreparedStatement ps = db.prepareStatement(
                    "SELECT first_seq, last_seq, reason FROM quarantined ORDER BY first_seq LIMIT ?")) {
                ps.setInt(1, max);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        long f = rs.getLong(1);
                        long l = rs.getLong(2);
                        out.add(new SetAside(SetAside.Kind.QUARANTINED, f, l, l - f + 1, rs.getString(3)));
                    }
                }
            }
        }
        out.sort(java.util.Comparator.comparingLong(SetAside::firstSeq));
        return out.size() > max ? out.subList(0, max) : out;
    }
}
