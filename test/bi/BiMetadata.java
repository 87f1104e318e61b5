// Syncs the metadata of schema sroi the way a JDBC BI tool (Metabase, Tableau, DBeaver)
// does, as the login it is given, and prints what it learnt for test/bi/bi-clients.sh:
//   V driver version
//   T name TABLE|VIEW remarks        DatabaseMetaData.getTables (remarks: yes or no)
//   C name column type remarks       DatabaseMetaData.getColumns
//   S name ok rows | S name error SQLSTATE   SELECT * of every relation listed, read to the end
//   R name column type               ResultSetMetaData of that SELECT
// type: the PostgreSQL name (text, date, boolean, integer, bigint), numeric as
// numeric(precision,scale) as the driver reports them.
// Usage: java -cp .:postgresql.jar BiMetadata JDBC_URL
import java.sql.*;
import java.util.*;

public class BiMetadata {
    static String type(String name, int precision, int scale) {
        switch (name) {
            case "bool": return "boolean";
            case "int4": return "integer";
            case "int8": return "bigint";
            case "numeric": return "numeric(" + precision + "," + scale + ")";
            default: return name;
        }
    }

    static String remarks(String r) { return r != null && !r.trim().isEmpty() ? "yes" : "no"; }

    public static void main(String[] args) throws Exception {
        Properties props = new Properties();
        props.setProperty("defaultRowFetchSize", "1000");   // as BI tools set it: a cursor, not one big result
        try (Connection c = DriverManager.getConnection(args[0], props)) {
            c.setAutoCommit(false);                          // fetch size needs a transaction
            DatabaseMetaData md = c.getMetaData();
            System.out.println("V " + md.getDriverVersion());
            List<String> names = new ArrayList<>();
            try (ResultSet rs = md.getTables(null, "sroi", "%",
                    new String[] {"TABLE", "VIEW", "MATERIALIZED VIEW", "PARTITIONED TABLE", "FOREIGN TABLE"})) {
                while (rs.next()) {
                    String name = rs.getString("TABLE_NAME");
                    names.add(name);
                    System.out.println("T " + name + " " + rs.getString("TABLE_TYPE").replace(' ', '_') + " "
                                       + remarks(rs.getString("REMARKS")));
                }
            }
            for (String name : names) {
                try (ResultSet rs = md.getColumns(null, "sroi", name, "%")) {
                    while (rs.next()) {
                        System.out.println("C " + name + " " + rs.getString("COLUMN_NAME") + " "
                                           + type(rs.getString("TYPE_NAME"), rs.getInt("COLUMN_SIZE"), rs.getInt("DECIMAL_DIGITS"))
                                           + " " + remarks(rs.getString("REMARKS")));
                    }
                }
            }
            for (String name : names) {
                Savepoint sp = c.setSavepoint();
                try (Statement st = c.createStatement();
                     ResultSet rs = st.executeQuery("SELECT * FROM sroi.\"" + name + "\"")) {
                    ResultSetMetaData rm = rs.getMetaData();
                    long rows = 0;
                    while (rs.next()) {
                        for (int i = 1; i <= rm.getColumnCount(); i++) rs.getObject(i);
                        rows++;
                    }
                    System.out.println("S " + name + " ok " + rows);
                    for (int i = 1; i <= rm.getColumnCount(); i++) {
                        System.out.println("R " + name + " " + rm.getColumnName(i) + " "
                                           + type(rm.getColumnTypeName(i), rm.getPrecision(i), rm.getScale(i)));
                    }
                    c.releaseSavepoint(sp);
                } catch (SQLException e) {
                    System.out.println("S " + name + " error " + e.getSQLState());
                    c.rollback(sp);
                }
            }
            c.rollback();
        }
    }
}
