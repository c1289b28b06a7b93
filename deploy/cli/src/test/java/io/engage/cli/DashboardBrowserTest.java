package io.engage.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.engage.avro.Program;
import io.engage.config.ApiTokens;
import io.engage.processing.ReferenceReadiness;
import io.engage.simulator.KafkaReadingSink;
import io.engage.simulator.Pace;
import io.engage.simulator.Population;
import io.engage.simulator.SimulatedParticipant;
import io.engage.simulator.SimulationSpec;
import io.engage.simulator.SimulationSummary;
import io.engage.simulator.Simulator;
import java.io.File;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The dashboard (docs/query.md, "Dashboard") in a real headless Chromium: a local stack with simulated participants,
 * the page at {@code /} asks for the read token, then shows exactly what the query API answers (fetched here with an
 * HTTP client), and follows new readings. Skipped when Debian's {@code chromium} and {@code chromium-driver} are not
 * installed. Saves a screenshot to {@code target/dashboard.png}; with {@code -Ddashboard.docs=true} also to
 * {@code docs/dashboard.png}.
 */
@Tag("integration")
class DashboardBrowserTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path CHROMEDRIVER = Path.of(System.getProperty("chromedriver.path", "/usr/bin/chromedriver"));
    private static final Path CHROMIUM = Path.of(System.getProperty("chromium.path", "/usr/bin/chromium"));
    private static final List<String> BENEFICIARIES = List.of("seniors", "children", "veterans", "homeless");
    private static final List<String> NUDGE_TYPES =
            List.of("SCHEDULED_PROMPT", "BEHIND_PACE", "INACTIVITY", "STREAK_AT_RISK", "CELEBRATION");
    private static final List<String> SUPPRESS_REASONS =
            List.of("COACHING_OFF", "OPTED_OUT", "PAUSED", "QUIET_HOURS", "DAILY_CAP");

    /** What the page shows, read from its elements' text. */
    private static final String PAGE_VIEW = """
            const text = id => document.getElementById(id).textContent;
            const bars = id => {
              const out = {};
              document.querySelectorAll('#' + id + ' .bar').forEach(g => {
                out[g.getAttribute('data-key')] = g.querySelector('.bar-value').textContent;
              });
              return out;
            };
            const board = id => Array.from(document.querySelectorAll('#' + id + ' tbody tr[data-id]'))
                .map(r => r.cells[0].textContent + ':' + r.cells[1].textContent + '=' + r.cells[2].textContent);
            return {
              accepted: text('readings-accepted'), deadLettered: text('readings-dead-lettered'),
              deadLetteredByReason: bars('chart-dead-letters'),
              goalSteps: text('goal-days-steps'), goalActiveMinutes: text('goal-days-active-minutes'),
              triggered: text('donations-triggered'), budget: text('donations-budget'),
              remaining: text('donations-remaining'), deferred: text('donations-deferred'),
              byBeneficiary: bars('chart-beneficiaries'),
              sent: text('nudges-sent'), suppressed: text('nudges-suppressed'),
              sentByType: bars('chart-nudges-sent'), suppressedByReason: bars('chart-nudges-suppressed'),
              participantsDay: board('lb-participants-day'), participantsWeek: board('lb-participants-week'),
              teamsDay: board('lb-teams-day'), teamsWeek: board('lb-teams-week')
            };
            """;

    private static final boolean REQUIRED = Set.of("1", "true").contains(System.getenv("ENGAGE_REQUIRE_BROWSER"));

    private String query;
    private String read;

    @Test
    void thePageShowsWhatTheQueryApiAnswersAndFollowsNewReadings(@TempDir Path tmp) throws Exception {
        boolean browser = Files.isExecutable(CHROMEDRIVER) && Files.isExecutable(CHROMIUM);
        String needs = "needs Debian's chromium and chromium-driver (" + CHROMIUM + ", " + CHROMEDRIVER + ")";
        // .ci/run installs them and sets ENGAGE_REQUIRE_BROWSER=1: there a missing browser fails instead of skipping
        if (REQUIRED) {
            assertThat(browser).as(needs + "; ENGAGE_REQUIRE_BROWSER is set").isTrue();
        }
        Assumptions.assumeTrue(browser, needs);
        try (LocalStack stack = LocalStack.start(EphemeralStack.config(tmp), false)
                .startIngest()
                .startStreams()) {
            String ingest = "http://localhost:" + stack.ingest().port();
            query = "http://localhost:" + stack.streams().port();
            read = stack.tokens().first(ApiTokens.Role.read).orElseThrow();
            StackHttp http = new StackHttp(ingest, stack.tokens());

            // a small programme whose points give donations soon, so the budget runs out and some wait
            SimulationSpec simulation = SimulationSpec.builder()
                    .seed(13)
                    .participants(24)
                    .teams(4)
                    .programId("prog-dash")
                    .endingAt(Instant.now(), 3)
                    .pace(Pace.asFastAsPossible())
                    .lateHorizon(stack.config().lateHorizon())
                    .clockSkewTolerance(stack.config().clockSkewTolerance())
                    .build();
            Population population = Population.of(simulation);
            Program program = Program.newBuilder(population.program())
                    .setPointsPerDonation(10)
                    .setDonationBudget(12)
                    .build();
            new ReferenceDataPublisher(ingest, http.token(ApiTokens.Role.admin)).publish(population, program);
            ReferenceReadiness.await(
                    ReferenceDataPublisher.ids(population, program),
                    List.of(stack.ingest().referenceView(), stack.streams().referenceView()),
                    Duration.ofSeconds(60),
                    message -> {});
            SimulationSummary sim;
            try (KafkaReadingSink sink = new KafkaReadingSink(
                    stack.config(), "dashboard-test-simulator", KafkaReadingSink.Timestamps.SIMULATED)) {
                sim = Simulator.builder(simulation)
                        .population(population)
                        .build()
                        .run(sink, p -> {});
            }

            // the pipeline counts equal the simulator's oracle (no reading counted twice or lost)
            Map<String, Long> expectedReasons = new TreeMap<>();
            sim.expectedRejected().forEach((reason, n) -> expectedReasons.put(reason.name(), n));
            Awaitility.await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                JsonNode readings = api("/v1/pipeline/readings");
                assertThat(readings.path("accepted").asLong()).isEqualTo(sim.expectedNormalized());
                Map<String, Long> reasons = new TreeMap<>();
                readings.path("deadLetteredByReason")
                        .properties()
                        .forEach(e -> reasons.put(e.getKey(), e.getValue().asLong()));
                assertThat(reasons).isEqualTo(expectedReasons);
            });
            assertThat(expectedReasons)
                    .as("the simulator dead-letters some readings")
                    .isNotEmpty();

            ChromeDriverService service = new ChromeDriverService.Builder()
                    .usingDriverExecutable(CHROMEDRIVER.toFile())
                    .usingAnyFreePort()
                    .build();
            ChromeOptions options = new ChromeOptions();
            options.setBinary(CHROMIUM.toFile());
            options.addArguments(
                    "--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1000");
            ChromeDriver driver = new ChromeDriver(service, options);
            try {
                driver.get(query + "/?refresh=1");
                // the page needs no token; it asks for one, and a wrong one is refused
                awaitState(driver, "login");
                driver.findElement(By.id("token")).sendKeys("not-a-token");
                driver.findElement(By.id("token-submit")).click();
                Awaitility.await()
                        .atMost(Duration.ofSeconds(10))
                        .until(() -> !driver.findElement(By.id("login-error"))
                                .getText()
                                .isEmpty());
                assertThat(state(driver)).isEqualTo("login");
                driver.findElement(By.id("token")).sendKeys(read);
                driver.findElement(By.id("token-submit")).click();
                awaitState(driver, "loaded");

                LocalDate today = LocalDate.now(ZoneOffset.UTC);
                Map<String, Object> before = awaitPageEqualsApi(driver, program.getProgramId(), today);
                assertThat(before.get("accepted")).isEqualTo(number(sim.expectedNormalized()));

                // more readings through the gateway: some for a paired device, some for a device nobody paired
                SimulatedParticipant walker = population.members().stream()
                        .filter(SimulatedParticipant::consent)
                        .findFirst()
                        .orElseThrow();
                String device = walker.devices().get(0).deviceId();
                Instant end = Instant.now().truncatedTo(ChronoUnit.MINUTES).minusSeconds(53);
                int paired = 6;
                int unpaired = 4;
                assertThat(post(http, device, steps(end, paired)).body()).contains("\"accepted\":" + paired);
                assertThat(post(http, "dev-nobody-paired", steps(end, unpaired)).body())
                        .contains("\"accepted\":" + unpaired);
                long accepted = sim.expectedNormalized() + paired;
                long unknownDevice = expectedReasons.getOrDefault("UNKNOWN_DEVICE", 0L) + unpaired;
                Awaitility.await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                    Map<String, Object> page = page(driver);
                    assertThat(page.get("accepted")).isEqualTo(number(accepted));
                    assertThat(page.get("deadLetteredByReason"))
                            .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                            .containsEntry("UNKNOWN_DEVICE", number(unknownDevice));
                });
                awaitPageEqualsApi(driver, program.getProgramId(), today);

                // another date through the picker: yesterday's full day, also what the screenshot shows
                LocalDate yesterday = today.minusDays(1);
                ((JavascriptExecutor) driver)
                        .executeScript(
                                "const d = document.getElementById('date'); d.value = arguments[0];"
                                        + " d.dispatchEvent(new Event('change'));",
                                yesterday.toString());
                Map<String, Object> shown = awaitPageEqualsApi(driver, program.getProgramId(), yesterday);
                assertThat(shown.get("goalSteps")).as("goal days yesterday").isNotEqualTo("0");
                assertThat((List<?>) shown.get("participantsDay")).isNotEmpty();
                screenshot(driver);
            } finally {
                driver.quit();
            }
        }
    }

    /** Waits until the page shows what the API answers, twice the same around a page refresh; returns the page. */
    private Map<String, Object> awaitPageEqualsApi(WebDriver driver, String programId, LocalDate date) {
        List<Map<String, Object>> seen = new ArrayList<>();
        Awaitility.await()
                .atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> {
                    Map<String, Object> before = apiView(programId, date);
                    int started = counter(driver, "started");
                    // a refresh that started after the API was read here has finished
                    Awaitility.await()
                            .atMost(Duration.ofSeconds(15))
                            .pollInterval(Duration.ofMillis(100))
                            .until(() -> counter(driver, "refreshes") > started);
                    Map<String, Object> page = page(driver);
                    Map<String, Object> after = apiView(programId, date);
                    assertThat(after).as("the API stands still").isEqualTo(before);
                    assertThat(page).isEqualTo(after);
                    seen.add(page);
                });
        return seen.get(seen.size() - 1);
    }

    /** What the page must show for this API state, built from the JSON of the routes the page reads. */
    private Map<String, Object> apiView(String programId, LocalDate date) throws Exception {
        String p = "/v1/programs/" + programId;
        JsonNode readings = api("/v1/pipeline/readings");
        JsonNode nudges = api("/v1/pipeline/nudges?date=" + date);
        JsonNode goals = api(p + "/goals?date=" + date);
        JsonNode donations = api(p + "/donations");
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("accepted", number(readings.path("accepted").asLong()));
        v.put("deadLettered", number(readings.path("deadLettered").asLong()));
        v.put("deadLetteredByReason", counts(readings.path("deadLetteredByReason"), List.of()));
        v.put("goalSteps", number(goals.path("goalDays").path("steps").asLong()));
        v.put(
                "goalActiveMinutes",
                number(goals.path("goalDays").path("active_minutes").asLong()));
        v.put("triggered", number(donations.path("triggered").asLong()));
        v.put("budget", number(donations.path("budget").asLong()));
        v.put("remaining", number(donations.path("remaining").asLong()));
        v.put("deferred", number(donations.path("deferred").asLong()));
        v.put("byBeneficiary", counts(donations.path("byBeneficiary"), BENEFICIARIES));
        v.put("sent", number(nudges.path("sent").asLong()));
        v.put("suppressed", number(nudges.path("suppressed").asLong()));
        v.put("sentByType", counts(nudges.path("sentByType"), NUDGE_TYPES));
        v.put("suppressedByReason", counts(nudges.path("suppressedByReason"), SUPPRESS_REASONS));
        String q = "?limit=10&date=" + date + "&period=";
        v.put("participantsDay", board(api(p + "/leaderboard" + q + "day"), "participantId"));
        v.put("participantsWeek", board(api(p + "/leaderboard" + q + "week"), "participantId"));
        v.put("teamsDay", board(api(p + "/teams/leaderboard" + q + "day"), "teamId"));
        v.put("teamsWeek", board(api(p + "/teams/leaderboard" + q + "week"), "teamId"));
        return v;
    }

    /** Every key the API answers, and the page's fixed keys with zero when the API has none. */
    private static Map<String, String> counts(JsonNode counts, List<String> shownAlways) {
        Map<String, String> out = new TreeMap<>();
        shownAlways.forEach(k -> out.put(k, "0"));
        counts.properties().forEach(e -> out.put(e.getKey(), number(e.getValue().asLong())));
        return out;
    }

    private static List<String> board(JsonNode board, String idField) {
        List<String> rows = new ArrayList<>();
        board.path("entries")
                .forEach(e ->
                        rows.add(e.path("rank").asInt() + ":" + e.path(idField).asText() + "="
                                + number(e.path("steps").asLong())));
        return rows;
    }

    private static String number(long n) {
        return String.format(Locale.US, "%,d", n);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> page(WebDriver driver) {
        Map<String, Object> raw = (Map<String, Object>) ((JavascriptExecutor) driver).executeScript(PAGE_VIEW);
        Map<String, Object> out = new LinkedHashMap<>();
        raw.forEach((k, v) -> out.put(k, v instanceof Map<?, ?> m ? new TreeMap<>(m) : v));
        return out;
    }

    private static String state(WebDriver driver) {
        return (String) ((JavascriptExecutor) driver).executeScript("return document.body.dataset.state;");
    }

    /** {@code data-started} or {@code data-refreshes} of the page's body: refreshes started, finished. */
    private static int counter(WebDriver driver, String name) {
        Object value = ((JavascriptExecutor) driver).executeScript("return document.body.dataset[arguments[0]];", name);
        return value == null ? 0 : Integer.parseInt((String) value);
    }

    /**
     * Waits for the page's state; "loaded" needs every route answered, and the pipeline counts answer 503 until they
     * have read their topics whole, which on a loaded 2-core machine can take a while.
     */
    private static void awaitState(WebDriver driver, String wanted) {
        Awaitility.await().atMost(Duration.ofSeconds(90)).until(() -> wanted.equals(state(driver)));
    }

    private JsonNode api(String path) throws Exception {
        HttpResponse<String> r = StackHttp.get(query + path, read);
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    /** {@code n} step readings of 300 steps, ten minutes each, the last ending at {@code end}. */
    private static String steps(Instant end, int n) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < n; i++) {
            Instant to = end.minus(Duration.ofMinutes(10L * i));
            b.append(i == 0 ? "" : ",")
                    .append("{\"metric\":\"steps\",\"value\":300,\"unit\":\"steps\",\"start\":\"")
                    .append(to.minus(Duration.ofMinutes(10)))
                    .append("\",\"end\":\"")
                    .append(to)
                    .append("\"}");
        }
        return b.append("]").toString();
    }

    private static HttpResponse<String> post(StackHttp http, String device, String body) throws Exception {
        HttpResponse<String> r = http.post("/v1/devices/" + device + "/readings", body, ApiTokens.Role.gateway);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        return r;
    }

    /** The whole page into target/dashboard.png, and into docs/ when asked ({@code -Ddashboard.docs=true}). */
    private static void screenshot(ChromeDriver driver) throws Exception {
        long height = (Long) driver.executeScript("return document.documentElement.scrollHeight;");
        // the whole page in one viewport (a window is no taller than the headless screen)
        driver.executeCdpCommand(
                "Emulation.setDeviceMetricsOverride",
                Map.of("width", 1280, "height", height, "deviceScaleFactor", 1, "mobile", false));
        File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
        Path target = Path.of("target", "dashboard.png");
        Files.createDirectories(target.getParent());
        Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
        if (Boolean.getBoolean("dashboard.docs")) {
            Path docs = Path.of("..", "..", "docs", "dashboard.png");
            Files.copy(shot.toPath(), docs, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
