package lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import lab.cli.Cli;
import lab.cli.MaintainCommand;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;
import tech.tablesaw.api.Table;

/**
 * The daily run's three schedules (jbang-scripts/schedule: a cron.d file, a systemd service and timer;
 * sql/maintenance/schedule_pg_cron.sql) run the same job at the same time: {@code Maintain.java run --apply} at 02:00
 * UTC, or {@code CALL maintenance.run_maintenance_proc(..., false)} from pg_cron (a procedure: it commits after every
 * step, so that no lock outlives its step). The runbook arguments in the files are parsed
 * by the runbook's own command line, so a renamed option fails here and not at 02:00. And the switch the files
 * document works: {@code ENABLE_PARTITION_MAINTENANCE=false} makes the very run that otherwise creates partitions
 * change nothing.
 */
class MaintainScheduleTest {
    private static final Path PROJECT = Path.of(System.getProperty("lab.project", ".")).toAbsolutePath().normalize();
    private static final Path SCHEDULE = PROJECT.resolve("jbang-scripts/schedule");
    private static final Path CRON_FILE = SCHEDULE.resolve("partition-maintenance.cron");
    private static final Path SERVICE = SCHEDULE.resolve("partition-maintenance.service");
    private static final Path TIMER = SCHEDULE.resolve("partition-maintenance.timer");
    private static final Path ENV_FILE = SCHEDULE.resolve("partition-maintenance.env");
    private static final Path PG_CRON_SQL = PROJECT.resolve("sql/maintenance/schedule_pg_cron.sql");

    private static final String DAILY_0200 = "0 2 * * *";
    private static final String ON_CALENDAR_0200_UTC = "*-*-* 02:00:00 UTC";
    private static final String JOB = "partition-maintenance";

    /** The day the switch test pretends it is: the seeded months 2026-05..09 sit in the DEFAULT partitions. */
    private static final String[] RUN = {"run", "--apply", "--allow-time-travel", "--today", "2026-10-15", "--topology", "embedded", "--no-progress"};

    // ---- cron ------------------------------------------------------------------------------------------------------

    @Test
    void cronFileRunsMaintainRunApplyDailyAt0200Utc() throws IOException {
        CronFile cron = CronFile.read(CRON_FILE);

        assertFalse(cron.jobs().isEmpty(), "no job line in " + CRON_FILE);
        for (CronJob job : cron.jobs()) {
            assertEquals(DAILY_0200, job.schedule(), "the schedule of: " + job.line());
            assertTrue(USER.matcher(job.user()).matches(), "a cron.d line names the user after the 5 fields: " + job.line());
            assertFalse(job.command().contains("%"), "cron turns an unescaped % into a newline: " + job.line());
            assertRunApply(maintainArguments(job.command()), job.line());
            assertTrue(Files.isRegularFile(PROJECT.resolve(maintainScript(job.command()))), "the script the job names exists");
            assertTrue(workingDirectory(job.command()).startsWith("/"), "the job cds into the checkout first: " + job.line());
        }
        assertEquals("UTC", cron.env().get("CRON_TZ"), "02:00 UTC, for crons that read CRON_TZ (the others: see the file)");
        assertTrue(Set.of("true", "false").contains(cron.env().get(PartitionManager.ENABLE_SWITCH)),
                "the file sets the switch, true or false: " + cron.env());
        assertTrue(cron.comments().stream().anyMatch(c -> c.contains(PartitionManager.ENABLE_SWITCH + "=false")),
                "a line shows how to disable the run");
        assertTrue(Files.readString(CRON_FILE).endsWith("\n"), "cron ignores a last line that has no newline");
    }

    @Test
    void cronScheduleFieldsAreCheckedForRange() {
        assertEquals(List.of(), invalidCronFields(DAILY_0200));
        assertEquals(List.of(), invalidCronFields("*/15 0-6,22 1-31/2 jan,dec 1-5"));
        assertEquals(List.of("hour 24"), invalidCronFields("0 24 * * *"));
        assertEquals(List.of("minute 60", "day of week 8"), invalidCronFields("60 2 * * 8"));
        assertEquals(List.of("month */0"), invalidCronFields("0 2 * */0 *"));
    }

    // ---- systemd ---------------------------------------------------------------------------------------------------

    @Test
    void systemdTimerStartsTheOneshotServiceDailyAt0200Utc() throws IOException {
        Map<String, Map<String, List<String>>> timer = ini(TIMER);
        Map<String, Map<String, List<String>>> service = ini(SERVICE);

        assertEquals(List.of(ON_CALENDAR_0200_UTC), value(timer, "Timer", "OnCalendar"));
        assertEquals(List.of(onCalendarOf(DAILY_0200)), value(timer, "Timer", "OnCalendar"), "the cron file's time");
        assertEquals(List.of("true"), value(timer, "Timer", "Persistent"), "a day missed while the machine was off runs at boot");
        List<String> unit = value(timer, "Timer", "Unit");
        assertEquals(List.of(SERVICE.getFileName().toString()), unit.isEmpty() ? List.of(baseName(TIMER) + ".service") : unit,
                "the timer starts partition-maintenance.service");
        assertEquals(List.of("timers.target"), value(timer, "Install", "WantedBy"));

        assertEquals(List.of("oneshot"), value(service, "Service", "Type"));
        List<String> execStart = value(service, "Service", "ExecStart");
        assertEquals(1, execStart.size(), "one ExecStart: " + execStart);
        assertTrue(execStart.get(0).startsWith("/"), "ExecStart names its program by absolute path: " + execStart);
        List<String> arguments = maintainArguments(execStart.get(0));
        assertRunApply(arguments, execStart.get(0));

        CronJob cronJob = CronFile.read(CRON_FILE).jobs().get(0);
        assertEquals(maintainArguments(cronJob.command()), arguments, "the service runs what the cron job runs");
        assertEquals(maintainScript(cronJob.command()), maintainScript(execStart.get(0)));
        assertEquals(List.of(workingDirectory(cronJob.command())), value(service, "Service", "WorkingDirectory"),
                "the same checkout as the cron job");

        List<String> environmentFiles = value(service, "Service", "EnvironmentFile");
        assertEquals(1, environmentFiles.size(), "the settings come from an EnvironmentFile: " + environmentFiles);
        Map<String, String> example = envFile(ENV_FILE);
        assertTrue(Set.of("true", "false").contains(example.get(PartitionManager.ENABLE_SWITCH)), "the example sets the switch: " + example);
        assertTrue(example.containsKey("LAB_TOPOLOGY") && example.containsKey("LAB_DSN_PARTITIONED"),
                "the example names the server to maintain: " + example.keySet());
    }

    @Test
    void systemdAnalyzeAcceptsTheUnits() throws Exception {
        Assumptions.assumeTrue(onPath("systemd-analyze"), "systemd-analyze is not installed here: the units were checked as INI only");

        Finished verify = command("systemd-analyze", "verify", "--man=no", SERVICE.toString(), TIMER.toString());
        List<String> complaints = verify.output.lines().filter(l -> l.contains("partition-maintenance")).toList();
        assertEquals(0, verify.exitCode, "systemd-analyze verify:\n" + verify.output);
        assertEquals(List.of(), complaints, "systemd-analyze verify warns about the units");

        Finished calendar = command("systemd-analyze", "calendar", ON_CALENDAR_0200_UTC);
        assertEquals(0, calendar.exitCode, calendar.output);
        assertTrue(calendar.output.contains("Normalized form: " + ON_CALENDAR_0200_UTC), calendar.output);
    }

    // ---- the three schedules agree ---------------------------------------------------------------------------------

    @Test
    void pgCronScheduleIsTheSameJobAtTheSameTime() throws IOException {
        String sql = Files.readString(PG_CRON_SQL, StandardCharsets.UTF_8);
        String cronSchedule = CronFile.read(CRON_FILE).jobs().get(0).schedule();

        Matcher schedule = Pattern.compile("cron\\.schedule\\(\\s*'" + JOB + "'\\s*,\\s*'([^']*)'").matcher(sql);
        assertTrue(schedule.find(), "schedule_pg_cron.sql calls cron.schedule('" + JOB + "', ...)");
        assertEquals(cronSchedule, schedule.group(1), "pg_cron's schedule is the cron file's");
        int scheduled = schedule.start();
        assertFalse(schedule.find(), "one cron.schedule call");

        Matcher job = Pattern.compile("CALL maintenance\\.run_maintenance_proc\\(\\s*NULL\\s*,\\s*(.+?)\\s*,\\s*(\\w+)\\s*\\)").matcher(sql);
        assertTrue(job.find(), "the job calls CALL maintenance.run_maintenance_proc(NULL, <today>, <dry_run>)");
        assertEquals("false", job.group(2), "the job applies retention, as --apply does: dry_run false");
        assertTrue(sql.indexOf("cron.unschedule") < scheduled, "an existing job of that name is unscheduled first");

        assertTrue(sql.lines().noneMatch(l -> l.stripLeading().startsWith("\\")), "no psql meta-commands");
        assertTrue(Files.readString(PROJECT.resolve("sql/maintenance/unschedule_pg_cron.sql")).contains("'" + JOB + "'"));
    }

    // ---- ENABLE_PARTITION_MAINTENANCE ------------------------------------------------------------------------------

    @Test
    void switchFalseMakesRunChangeNothingAndTrueMakesTheSameRunWork() {
        Node db = lesson();
        Map<String, Object> before = snapshot(db);
        assertFalse(before.containsKey("audit.audit_logs audit.audit_logs_p2026_10"), "no October partition yet");

        for (String off : List.of("false", "FALSE", " False ")) {
            Outcome run = maintain(off, RUN);
            assertEquals(Cli.OK, run.code(), run::toString);
            assertTrue(run.out().contains("partition maintenance is disabled (" + PartitionManager.ENABLE_SWITCH + "=false)"), run::toString);
            assertEquals("", run.err(), run::toString);
            assertEquals(before, snapshot(db), "a disabled run changes nothing (switch '" + off + "')");
        }

        Outcome on = maintain("true", RUN);

        assertFalse(on.out().contains("disabled"), on::toString);
        Map<String, Object> after = snapshot(db);
        assertNotEquals(before, after, "with the switch true the same run changes the tables");
        for (String created : List.of("audit.audit_logs_p2026_10", "audit.audit_logs_p2027_01", "analytics.events_2027_04",
                "audit.chat_messages_p2026_05")) {
            assertTrue(Partitions.exists(db, created), created + " created\n" + on);
        }
        assertEquals(20L, db.count("audit.audit_logs_p2026_05"), "May's rows moved out of the DEFAULT");
        assertEquals(0L, db.count("audit.audit_logs_p_default"));
        assertEquals(before.get("rows"), after.get("rows"), "no row of any table lost");
        assertEquals(Cli.OK, on.code(), on::toString);
    }

    @Test
    void switchNeitherTrueNorFalseIsBadInputChangingNothing() {
        Node db = lesson();
        Map<String, Object> before = snapshot(db);

        for (String wrong : List.of("maybe", "0", "off")) {
            Outcome run = maintain(wrong, RUN);
            assertEquals(Cli.BAD_INPUT, run.code(), run::toString);
            assertEquals(List.of("error: " + PartitionManager.ENABLE_SWITCH + " must be true or false, not '" + wrong + "'"),
                    run.err().lines().toList(), run::toString);
            assertEquals("", run.out(), run::toString);
        }
        assertEquals(before, snapshot(db), "bad input changes nothing");
    }

    // ---- pg_cron ---------------------------------------------------------------------------------------------------

    /**
     * On a local PostgreSQL node with pg_cron (Debian's postgresql-15-cron: .ci/run installs it where apt is), started as
     * the Citus nodes are: schedule_pg_cron.sql makes one job at 02:00 UTC, the command it holds does what the daily run
     * does, and pg_cron itself runs it: set to every minute, its run is recorded as succeeded and its partition is back.
     */
    @Test
    void pgCronSchedulesAndRunsTheDailyJobOnALocalNode() throws Exception {
        try (Node db = pgCronNode()) {
            assertEquals("app", db.scalar("SELECT current_setting('cron.database_name')"), "pg_cron runs its jobs in app");
            ManagedTables.createAndConfigure(db);
            YearMonth month = YearMonth.now(ZoneOffset.UTC);
            ManagedTables.seed(db, month, month, 20);
            String partition = "audit.audit_logs_p" + month.getYear() + String.format("_%02d", month.getMonthValue());
            String next = "audit.audit_logs_p" + month.plusMonths(1).getYear() + String.format("_%02d", month.plusMonths(1).getMonthValue());
            assertFalse(Partitions.exists(db, partition), "no partition for this month yet: its rows wait in the DEFAULT");
            assertEquals(20L, db.count("audit.audit_logs_p_default"));

            for (int time = 1; time <= 2; time++) {
                Table job = db.run("maintenance/schedule_pg_cron.sql").lastTable();
                assertEquals(1, job.rowCount(), "run " + time + ": one job named " + JOB + "\n" + job.print());
                assertEquals(DAILY_0200, job.stringColumn("schedule").get(0));
                assertTrue(job.stringColumn("command").get(0).contains("CALL maintenance.run_maintenance_proc(NULL"), job.print());
                assertEquals(1L, ((Number) db.scalar("SELECT count(*) FROM cron.job WHERE jobname = ? AND schedule = ?",
                        JOB, DAILY_0200)).longValue(), "scheduling twice leaves one job");
            }
            Table job = db.query("SELECT jobid, command, database, username, active FROM cron.job WHERE jobname = ?", JOB);
            assertEquals("app", job.getString(0, "database"));
            assertEquals(true, job.column("active").get(0));
            // pg_cron reads a schedule in cron.timezone (1.5 on), GMT unless set; before 1.5 (no such setting) always in GMT
            String zone = String.valueOf(db.scalar("SELECT coalesce(nullif(current_setting('cron.timezone', true), ''), 'GMT')"));
            assertTrue(Set.of("GMT", "UTC").contains(zone), "02:00 is UTC: cron.timezone = " + zone);

            // what pg_cron runs at 02:00, run now as it would: the command as it stands in cron.job, on its own session
            String command = job.getString(0, "command");
            long runs = runs(db);
            execute(db, command);
            assertTrue(Partitions.exists(db, partition), partition + " created");
            assertEquals(20L, db.count(partition), "this month's rows moved out of the DEFAULT");
            assertEquals(0L, db.count("audit.audit_logs_p_default"));
            assertTrue(Partitions.exists(db, next), next + " made ahead");
            assertEquals(runs + 1, runs(db), "one run in maintenance.run_log");

            // pg_cron runs it itself: next month's partition dropped, the job every minute until its run is recorded
            execute(db, "DROP TABLE " + next);
            assertFalse(Partitions.exists(db, next));
            long jobId = ((Number) job.column("jobid").get(0)).longValue();
            execute(db, "SELECT cron.alter_job(" + jobId + ", schedule => '* * * * *')");
            Table fired = awaitRun(db, jobId, Duration.ofSeconds(150));
            execute(db, "SELECT cron.alter_job(" + jobId + ", schedule => '" + DAILY_0200 + "')");
            assertEquals("succeeded", fired.getString(0, "status"), fired.print());
            assertTrue(Partitions.exists(db, next), next + " made again by the job pg_cron ran\n" + fired.print());
            assertEquals(runs + 2, runs(db), "pg_cron's run logged its lines too");
            assertEquals(20L, db.count(partition), "no row moved or lost");

            db.run("maintenance/unschedule_pg_cron.sql");
            assertEquals(0L, ((Number) db.scalar("SELECT count(*) FROM cron.job WHERE jobname = ?", JOB)).longValue());
        }
    }

    @Test
    void pgCronScheduleRefusesWithItsReasonWhereTheExtensionIsMissing() {
        Node db = Lab.connect("embedded").node("partitioned");
        Assumptions.assumeFalse(pgCronAvailable(db), "pg_cron is available on this server: the test that schedules covers it");

        LabSqlException refused = assertThrows(LabSqlException.class, () -> db.run("maintenance/schedule_pg_cron.sql"));
        assertEquals("pg_cron is not available on this server: nothing scheduled", refused.serverMessage());
        assertEquals("0A000", refused.sqlState());
        assertEquals(true, db.scalar("SELECT to_regnamespace('cron') IS NULL"), "nothing created: no schema cron");

        var unscheduled = db.run("maintenance/unschedule_pg_cron.sql");
        assertTrue(String.join("\n", unscheduled.notices()).contains("no job " + JOB + " to remove"), unscheduled.notices()::toString);
    }

    // ---- fixtures ----------------------------------------------------------------------------------------------------

    /**
     * Lesson 06, tiny: the manager freshly installed (a configuration another test left would make the run touch its
     * tables too), the seven managed tables (only app.events has partitions, for 2025), 20 rows a month from 2026-05
     * to 2026-09, all of them in the DEFAULTs.
     */
    private static Node lesson() {
        Node db = Lab.connect("embedded").node("partitioned");
        ManagedTables.createAndConfigure(db);
        ManagedTables.seed(db, YearMonth.parse("2026-05"), YearMonth.parse("2026-09"), 20);
        return db;
    }

    /** Everything a run could change: the catalog of the lesson's schemas, every table's rows, the manager's metadata. */
    private static Map<String, Object> snapshot(Node db) {
        Map<String, Object> state = new TreeMap<>();
        state.put("catalog", ManagedTables.catalog(db).print(Integer.MAX_VALUE));
        state.put("rows", ManagedTables.fingerprints(db));
        state.put("metadata", db.query("SELECT count(*) AS n, max(refreshed_at)::text AS last FROM maintenance.partition_metadata").print());
        return state;
    }

    private record Outcome(int code, String out, String err) {
        @Override
        public String toString() {
            return "exit " + code + "\n--- out\n" + out + "--- err\n" + err;
        }
    }

    /** Maintain.java in this JVM, with the switch set as the JVM system property Settings reads before the environment. */
    private static Outcome maintain(String switchValue, String... args) {
        String property = Settings.propertyName(PartitionManager.ENABLE_SWITCH);
        System.setProperty(property, switchValue);
        try {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int code = Cli.run(new MaintainCommand(), new PrintWriter(out), new PrintWriter(err), args);
            return new Outcome(code, out.toString(), err.toString());
        } finally {
            System.clearProperty(property);
        }
    }

    /** postgresql.conf lines of the pg_cron node: jobs run in app, in background workers (no login, no password). */
    static final String PG_CRON_SETTINGS = """
            # Partition Lab: pg_cron's node (preloads pg_cron instead of citus)
            shared_preload_libraries = 'pg_cron'
            cron.database_name = 'app'
            cron.use_background_workers = on
            """;

    /**
     * The local node with pg_cron, under LAB_HOME/servers/pg-cron, started like the Citus nodes (as LAB_PG_OS_USER when
     * root); the test is skipped with the reason where no local installation has pg_cron.
     */
    private static Node pgCronNode() {
        LocalInstall.Found found = LocalInstall.findWith("pg_cron");
        Assumptions.assumeTrue(found.install().isPresent(), () -> "no local PostgreSQL with pg_cron (on Debian: apt-get install "
                + "postgresql-15-cron; or LAB_PG_BIN): " + found.whyNot());
        LocalServer server = LocalServer.obtain(Settings.labHome(), "pg-cron", found.install().get(), PG_CRON_SETTINGS);
        return new Node("pg-cron", server.dsn());
    }

    /** One statement in autocommit, as pg_cron runs a job's command (the procedure commits after every step). */
    private static void execute(Node db, String sql) throws java.sql.SQLException {
        try (var connection = db.connection(); var statement = connection.createStatement()) {
            connection.setAutoCommit(true);
            statement.execute(sql);
        }
    }

    private static long runs(Node db) {
        return ((Number) db.scalar("SELECT count(DISTINCT run_id) FROM maintenance.run_log")).longValue();
    }

    /** The job's first run that ended, as cron.job_run_details records it, waiting for it up to the timeout. */
    private static Table awaitRun(Node db, long jobId, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Table run = db.query("SELECT runid, status, return_message, start_time::text, end_time::text FROM cron.job_run_details "
                    + "WHERE jobid = ? AND status IN ('succeeded', 'failed') ORDER BY runid LIMIT 1", jobId);
            if (run.rowCount() > 0) return run;
            Thread.sleep(1000);
        }
        Table seen = db.query("SELECT runid, status, return_message, start_time::text FROM cron.job_run_details WHERE jobid = ?", jobId);
        return fail("pg_cron did not run job " + jobId + " within " + timeout.toSeconds() + " s:\n" + seen.print());
    }

    private static boolean pgCronAvailable(Node db) {
        return Boolean.TRUE.equals(db.scalar("SELECT EXISTS (SELECT FROM pg_available_extensions WHERE name = 'pg_cron')"));
    }

    // ---- the runbook command in a schedule -----------------------------------------------------------------------------

    private static final Pattern SHELL_OPERATOR = Pattern.compile("&&|\\|\\||;|\\||&|\\d*>>?.*|<.*");
    private static final Pattern USER = Pattern.compile("[a-z_][a-z0-9_-]*\\$?");

    /** The words of a command line as a POSIX shell splits them (quotes, no expansion). */
    static List<String> words(String command) {
        List<String> words = new ArrayList<>();
        StringBuilder word = null;
        char quote = 0;
        for (int i = 0; i < command.length(); i++) {
            char c = command.charAt(i);
            if (quote != 0) {
                if (c == quote) quote = 0; else word.append(c);
            } else if (c == '\'' || c == '"') {
                quote = c;
                if (word == null) word = new StringBuilder();
            } else if (Character.isWhitespace(c)) {
                if (word != null) words.add(word.toString());
                word = null;
            } else {
                if (word == null) word = new StringBuilder();
                word.append(c);
            }
        }
        if (quote != 0) fail("unbalanced quote in: " + command);
        if (word != null) words.add(word.toString());
        return words;
    }

    private static int scriptIndex(List<String> words, String command) {
        for (int i = 1; i < words.size(); i++) {
            if (words.get(i).endsWith("Maintain.java") && Path.of(words.get(i - 1)).getFileName().toString().equals("jbang")) return i;
        }
        return fail("no `jbang .../Maintain.java` in: " + command);
    }

    private static String maintainScript(String command) {
        List<String> words = words(command);
        return words.get(scriptIndex(words, command));
    }

    /** What follows {@code jbang scripts/Maintain.java}, up to the first shell operator or redirection. */
    static List<String> maintainArguments(String command) {
        List<String> words = words(command);
        List<String> arguments = new ArrayList<>();
        for (int i = scriptIndex(words, command) + 1; i < words.size() && !SHELL_OPERATOR.matcher(words.get(i)).matches(); i++) {
            arguments.add(words.get(i));
        }
        return arguments;
    }

    /** The folder a cron command cds into before it runs jbang. */
    private static String workingDirectory(String command) {
        List<String> words = words(command);
        int cd = words.indexOf("cd");
        if (cd < 0 || cd + 2 >= words.size() || !words.get(cd + 2).equals("&&") || cd + 2 > scriptIndex(words, command)) {
            return fail("the command does not start with `cd <checkout> &&`: " + command);
        }
        return words.get(cd + 1);
    }

    /** The arguments parse with the runbook's own command line, and name {@code run --apply}. */
    private static void assertRunApply(List<String> arguments, String where) {
        ParseResult parsed;
        try {
            parsed = Cli.commandLine(new MaintainCommand()).parseArgs(arguments.toArray(String[]::new));
        } catch (CommandLine.ParameterException e) {
            throw new AssertionError("Maintain.java does not accept " + arguments + " (" + where + "): " + e.getMessage(), e);
        }
        assertTrue(parsed.hasSubcommand(), "no subcommand in " + arguments);
        ParseResult sub = parsed.subcommand();
        assertEquals("run", sub.commandSpec().name(), "the daily job is `run`: " + arguments);
        assertTrue(sub.hasMatchedOption("--apply") && sub.<Boolean>matchedOptionValue("--apply", false),
                "the daily job applies retention (--apply): " + arguments);
    }

    // ---- cron.d files ------------------------------------------------------------------------------------------------

    private record CronJob(String line, String schedule, String user, String command) {}

    private record CronFile(List<CronJob> jobs, Map<String, String> env, List<String> comments) {
        private static final Pattern ENV = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)\\s*=\\s*(.*)");

        static CronFile read(Path file) throws IOException {
            List<CronJob> jobs = new ArrayList<>();
            Map<String, String> env = new LinkedHashMap<>();
            List<String> comments = new ArrayList<>();
            for (String raw : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String line = raw.strip();
                if (line.isEmpty()) continue;
                if (line.startsWith("#")) {
                    comments.add(line);
                    continue;
                }
                Matcher env1 = ENV.matcher(line);
                if (env1.matches()) {
                    env.put(env1.group(1), env1.group(2).strip());
                    continue;
                }
                String[] fields = line.split("\\s+", 7);
                assertEquals(7, fields.length, "a cron.d line is 5 schedule fields, a user and a command: " + line);
                String schedule = String.join(" ", List.of(fields).subList(0, 5));
                assertEquals(List.of(), invalidCronFields(schedule), "schedule fields out of range in: " + line);
                jobs.add(new CronJob(line, schedule, fields[5], fields[6]));
            }
            return new CronFile(jobs, env, comments);
        }
    }

    private static final String[] FIELD_NAMES = {"minute", "hour", "day of month", "month", "day of week"};
    private static final int[][] FIELD_RANGES = {{0, 59}, {0, 23}, {1, 31}, {1, 12}, {0, 7}};
    private static final List<String> MONTHS = List.of("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec");
    private static final List<String> DAYS = List.of("sun", "mon", "tue", "wed", "thu", "fri", "sat");
    private static final Pattern ITEM = Pattern.compile("(\\*|[0-9a-z]+(?:-[0-9a-z]+)?)(?:/([0-9]+))?");

    /** The fields of a 5-field cron schedule that are not valid: "hour 24". Lists, ranges, steps and names allowed. */
    static List<String> invalidCronFields(String schedule) {
        String[] fields = schedule.strip().split("\\s+");
        if (fields.length != 5) return List.of("not 5 fields: " + schedule);
        List<String> invalid = new ArrayList<>();
        for (int f = 0; f < 5; f++) {
            if (!validField(fields[f].toLowerCase(), f)) invalid.add(FIELD_NAMES[f] + " " + fields[f]);
        }
        return invalid;
    }

    private static boolean validField(String field, int f) {
        for (String item : field.split(",", -1)) {
            Matcher m = ITEM.matcher(item);
            if (!m.matches()) return false;
            if (m.group(2) != null && Integer.parseInt(m.group(2)) == 0) return false;
            if (m.group(1).equals("*")) continue;
            String[] bounds = m.group(1).split("-");
            int low = cronValue(bounds[0], f);
            int high = bounds.length == 2 ? cronValue(bounds[1], f) : low;
            if (low < 0 || high < 0 || low > high) return false;
        }
        return true;
    }

    private static int cronValue(String text, int f) {
        if (f == 3 && MONTHS.contains(text)) return MONTHS.indexOf(text) + 1;
        if (f == 4 && DAYS.contains(text)) return DAYS.indexOf(text);
        if (!text.matches("[0-9]+")) return -1;
        int value = Integer.parseInt(text);
        return value >= FIELD_RANGES[f][0] && value <= FIELD_RANGES[f][1] ? value : -1;
    }

    /** {@code 0 2 * * *} as a systemd calendar event in UTC: {@code *-*-* 02:00:00 UTC}. */
    private static String onCalendarOf(String dailySchedule) {
        String[] fields = dailySchedule.split(" ");
        assertTrue(fields[2].equals("*") && fields[3].equals("*") && fields[4].equals("*") && fields[0].matches("\\d+")
                && fields[1].matches("\\d+"), "a daily schedule at one time: " + dailySchedule);
        return String.format("*-*-* %02d:%02d:00 UTC", Integer.parseInt(fields[1]), Integer.parseInt(fields[0]));
    }

    // ---- systemd unit files and environment files --------------------------------------------------------------------

    /** A unit file as systemd reads it: sections of keys, a key given twice keeps both values; anything else fails. */
    static Map<String, Map<String, List<String>>> ini(Path file) throws IOException {
        Map<String, Map<String, List<String>>> sections = new LinkedHashMap<>();
        Map<String, List<String>> section = null;
        String pending = "";
        for (String raw : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String line = pending + raw.strip();
            pending = "";
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) continue;
            if (line.endsWith("\\")) {
                pending = line.substring(0, line.length() - 1) + " ";
                continue;
            }
            if (line.startsWith("[") && line.endsWith("]")) {
                String name = line.substring(1, line.length() - 1);
                assertFalse(sections.containsKey(name), file.getFileName() + ": section [" + name + "] twice");
                section = new LinkedHashMap<>();
                sections.put(name, section);
                continue;
            }
            int eq = line.indexOf('=');
            assertTrue(eq > 0 && section != null, file.getFileName() + ": not a key=value line in a section: " + line);
            section.computeIfAbsent(line.substring(0, eq).strip(), k -> new ArrayList<>()).add(line.substring(eq + 1).strip());
        }
        assertEquals("", pending, file.getFileName() + " ends in a continued line");
        return sections;
    }

    private static List<String> value(Map<String, Map<String, List<String>>> unit, String section, String key) {
        return unit.getOrDefault(section, Map.of()).getOrDefault(key, List.of());
    }

    private static Map<String, String> envFile(Path file) throws IOException {
        Map<String, String> values = new LinkedHashMap<>();
        for (String raw : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            Matcher m = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)=(.*)").matcher(line);
            assertTrue(m.matches(), file.getFileName() + ": not a KEY=value line: " + line);
            values.put(m.group(1), m.group(2));
        }
        return values;
    }

    private static String baseName(Path file) {
        String name = file.getFileName().toString();
        return name.substring(0, name.lastIndexOf('.'));
    }

    // ---- processes ---------------------------------------------------------------------------------------------------

    private record Finished(int exitCode, String output) {}

    private static boolean onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) return false;
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) return true;
        }
        return false;
    }

    private static Finished command(String... command) throws IOException, InterruptedException {
        java.lang.Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getOutputStream().close();
        var output = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "(output unreadable: " + e.getMessage() + ")";
            }
        });
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail(String.join(" ", command) + " did not finish within 60 s");
        }
        return new Finished(p.exitValue(), output.join());
    }
}
