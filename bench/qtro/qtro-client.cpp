// qtro-client: runs one workload of the benchmark against the object "bench"
// served by qtro-server, through the static replica repc makes from
// bench.rep (see ../PROTOCOL.md).
//
// Usage: qtro-client unix:/PATH | tcp:127.0.0.1:PORT WORKLOAD [N]
//
// Prints one line of JSON on stdout (fanout-wait first prints
// {"waiting": true} once it counts, as gro-client does) and exits 0; on any
// failure it writes a message on stderr and exits 1. Every wait is bounded
// by 60 s.

#include "bench-common.h"
#include "rep_bench_replica.h"

#include <QtCore/QEventLoop>
#include <QtRemoteObjects/QRemoteObjectNode>
#include <QtRemoteObjects/QRemoteObjectPendingCallWatcher>

#include <algorithm>
#include <deque>
#include <vector>

static const char program[] = "qtro-client";

enum { TIMEOUT_MS = 60000, WARMUP = 1000, IN_FLIGHT = 100, BLOB_SIZE = 1024 * 1024 };

static BenchReplica *rep;
static QEventLoop *loop;

[[noreturn]] static void
fail(const char *what)
{
  bench_fail(program, what);
}

// Runs the event loop until something calls loop->quit(), for 60 s at most.
static void
run_loop()
{
  QTimer timeout;

  timeout.setSingleShot(true);
  QObject::connect(&timeout, &QTimer::timeout, [] { fail("timed out"); });
  timeout.start(TIMEOUT_MS);
  loop->exec();
}

// ---------------------------------------------------------------------------
// Calls
//
// add() gives a QRemoteObjectPendingReply<int>. QtRO offers two ways to wait
// for it, both driven by Qt's event loop:
//  - "watcher": a QRemoteObjectPendingCallWatcher per call, whose finished()
//    signal the one event loop delivers (through a queued connection);
//  - "block": QRemoteObjectPendingCall::waitForFinished(), which runs a
//    nested QEventLoop until the reply arrives (pipelined: on the oldest
//    call, once 100 are in flight).
// Measured here (README.md), "block" was the faster for rtt (about 1.5 µs
// off the median) and for pipelined, so it is the default; set
// QTRO_BENCH_WAIT=watcher to measure the other way.

static bool
use_watcher()
{
  const char *wait = getenv("QTRO_BENCH_WAIT");

  return wait != nullptr && strcmp(wait, "watcher") == 0;
}

struct Calls
{
  int n = 0;
  int sent = 0;
  int received = 0;
  int max_in_flight = 1;
  qint64 last = 0;
  std::vector<qint64> times;   // rtt: per call, µs, after the warm-up
};

static void send_add(Calls &c);

static void
on_add_done(Calls &c, QRemoteObjectPendingCallWatcher *watcher)
{
  qint64 now = bench_now_us();

  watcher->deleteLater();
  if (watcher->error() != QRemoteObjectPendingCall::NoError)
    fail("add failed");
  if (watcher->returnValue().toInt() != c.received + 1)
    fail("add gave a wrong sum");
  if (!c.times.empty() && c.received >= WARMUP)
    c.times[c.received - WARMUP] = now - c.last;
  c.received++;
  if (c.received == c.n)
    loop->quit();
  else
    send_add(c);
}

static void
send_add(Calls &c)
{
  while (c.sent < c.n && c.sent - c.received < c.max_in_flight) {
    c.last = bench_now_us();
    auto *watcher = new QRemoteObjectPendingCallWatcher(rep->add(c.sent, 1));
    c.sent++;
    QObject::connect(watcher, &QRemoteObjectPendingCallWatcher::finished, watcher,
                     [&c](QRemoteObjectPendingCallWatcher *w) { on_add_done(c, w); });
  }
}

static int
compare_us(const void *a, const void *b)
{
  qint64 x = *static_cast<const qint64 *>(a), y = *static_cast<const qint64 *>(b);

  return x < y ? -1 : x > y;
}

static void
check_reply(QRemoteObjectPendingReply<int> &reply, int expected)
{
  if (!reply.waitForFinished(TIMEOUT_MS))
    fail("add timed out");
  if (reply.error() != QRemoteObjectPendingCall::NoError)
    fail("add failed");
  if (reply.returnValue() != expected)
    fail("add gave a wrong sum");
}

static void
workload_rtt(int n)
{
  std::vector<qint64> times(n);

  if (use_watcher()) {
    Calls c;

    c.n = n + WARMUP;
    c.max_in_flight = 1;
    c.times.assign(n, 0);
    send_add(c);
    run_loop();
    times.swap(c.times);
  } else {
    for (int i = 0; i < n + WARMUP; i++) {
      qint64 start = bench_now_us();
      QRemoteObjectPendingReply<int> reply = rep->add(i, 1);

      check_reply(reply, i + 1);
      if (i >= WARMUP)
        times[i - WARMUP] = bench_now_us() - start;
    }
  }
  std::qsort(times.data(), n, sizeof(qint64), compare_us);
  printf("{\"p50_us\": %.1f, \"p99_us\": %.1f}\n", double(times[n / 2]),
         double(times[size_t(n) * 99 / 100]));
}

static void
workload_pipelined(int n)
{
  qint64 start = bench_now_us();

  if (use_watcher()) {
    Calls c;

    c.n = n;
    c.max_in_flight = IN_FLIGHT;
    send_add(c);
    run_loop();
  } else {
    std::deque<QRemoteObjectPendingReply<int>> in_flight;
    int received = 0;

    for (int i = 0; i < n; i++) {
      if (in_flight.size() == IN_FLIGHT) {
        check_reply(in_flight.front(), ++received);
        in_flight.pop_front();
      }
      in_flight.push_back(rep->add(i, 1));
    }
    while (!in_flight.empty()) {
      check_reply(in_flight.front(), ++received);
      in_flight.pop_front();
    }
  }
  printf("{\"calls_per_s\": %.0f}\n", n / ((bench_now_us() - start) / 1e6));
}

// ---------------------------------------------------------------------------
// Property changes and signals

static void
workload_push(int n)
{
  int count = 0;
  bool counting = false;
  qint64 start = 0, last = 0;

  QObject::connect(rep, &BenchReplica::valueChanged, rep, [&](int) {
    int value = rep->value();

    if (!counting) {
      if (value == 0)
        loop->quit();   // reset has arrived
      return;
    }
    count++;
    if (value == n) {
      last = bench_now_us();
      loop->quit();
    }
  });

  // reset() is a void SLOT: QtRO sends it without a reply. When value is not
  // 0 yet, wait for its change to 0, so that it is not counted.
  rep->reset();
  if (rep->value() != 0)
    run_loop();

  counting = true;
  start = bench_now_us();
  rep->push(n);
  run_loop();
  printf("{\"changes_per_s\": %.0f, \"notifications\": %d, \"start_us\": %lld}\n",
         n / ((last - start) / 1e6), count, (long long) start);
}

static void
workload_fanout_wait(int n)
{
  int count = 0;
  qint64 last = 0;

  QObject::connect(rep, &BenchReplica::valueChanged, rep, [&](int) {
    count++;
    if (rep->value() == n) {
      last = bench_now_us();
      loop->quit();
    }
  });
  // Ready to count: the runner starts the push when every client says so.
  printf("{\"waiting\": true}\n");
  fflush(stdout);
  if (rep->value() != n)
    run_loop();
  printf("{\"done_at_us\": %lld, \"notifications\": %d}\n", (long long) last, count);
}

static void
workload_signals(int n)
{
  int count = 0;
  qint64 start, last = 0;

  QObject::connect(rep, &BenchReplica::tick, rep, [&](int k) {
    count++;
    if (k == n) {
      last = bench_now_us();
      loop->quit();
    }
  });
  start = bench_now_us();
  rep->signals(n);
  run_loop();
  printf("{\"signals_per_s\": %.0f, \"signals\": %d}\n", n / ((last - start) / 1e6), count);
}

static void
workload_blob(int n)
{
  int count = 0;
  qint64 start, last = 0;

  QObject::connect(rep, &BenchReplica::blobChanged, rep, [&](const QByteArray &) {
    const QByteArray blob = rep->blob();

    if (blob.size() != BLOB_SIZE)
      return;
    count++;
    if (uchar(blob[0]) == (n - 1) % 256 && count >= n) {
      last = bench_now_us();
      loop->quit();
    }
  });
  start = bench_now_us();
  rep->blobs(n);
  run_loop();
  printf("{\"mb_per_s\": %.1f, \"changes\": %d}\n", n * 1.048576 / ((last - start) / 1e6), count);
}

// ---------------------------------------------------------------------------

static long
resident_kb(void)
{
  FILE *f = fopen("/proc/self/status", "r");
  char line[256];
  long kb = 0;

  while (f != nullptr && fgets(line, sizeof line, f) != nullptr)
    if (strncmp(line, "VmRSS:", 6) == 0)
      kb = strtol(line + 6, nullptr, 10);
  if (f != nullptr)
    fclose(f);
  return kb;
}

int
main(int argc, char **argv)
{
  qint64 main_start = bench_now_us();
  QCoreApplication app(argc, argv);
  QEventLoop main_loop;
  QUrl url;
  const char *workload;
  int n;

  if (argc < 3 || argc > 4 || !(url = bench_qtro_url(argv[1])).isValid()) {
    fprintf(stderr, "usage: %s ADDRESS WORKLOAD [N]\n", program);
    return 2;
  }
  workload = argv[2];
  n = argc > 3 ? atoi(argv[3]) : 0;
  if (n <= 0)
    n = strcmp(workload, "rtt") == 0 ? 20000
      : strcmp(workload, "pipelined") == 0 ? 10000
      : strcmp(workload, "fanout-wait") == 0 ? 20000
      : strcmp(workload, "blob") == 0 ? 200 : 100000;
  loop = &main_loop;
  if (strstr(" startup rtt pipelined push signals fanout-wait blob idle replicas ",
             (QByteArray(" ") + workload + " ").constData()) == nullptr) {
    fprintf(stderr, "%s: unknown workload %s\n", program, workload);
    return 2;
  }

  QRemoteObjectNode node;
  if (!node.connectToNode(url))
    fail("cannot connect");
  rep = node.acquire<BenchReplica>(QStringLiteral("bench"));
  if (rep == nullptr || !rep->waitForSource(TIMEOUT_MS))
    fail("cannot acquire bench");

  if (strcmp(workload, "startup") == 0) {
    if (rep->p49() != 49)
      fail("p49 is not 49");
    printf("{\"startup_us\": %lld}\n", (long long) (bench_now_us() - main_start));
  } else if (strcmp(workload, "rtt") == 0) {
    workload_rtt(n);
  } else if (strcmp(workload, "pipelined") == 0) {
    workload_pipelined(n);
  } else if (strcmp(workload, "push") == 0) {
    workload_push(n);
  } else if (strcmp(workload, "signals") == 0) {
    workload_signals(n);
  } else if (strcmp(workload, "fanout-wait") == 0) {
    workload_fanout_wait(n);
  } else if (strcmp(workload, "blob") == 0) {
    workload_blob(n);
  } else if (strcmp(workload, "idle") == 0) {
    // N connections, one replica each (the first is made above).
    int connections = argc > 3 ? atoi(argv[3]) : 1;
    std::vector<std::unique_ptr<QRemoteObjectNode>> nodes;
    std::vector<std::unique_ptr<BenchReplica>> replicas;

    for (int i = 1; i < connections; i++) {
      nodes.emplace_back(new QRemoteObjectNode);
      if (!nodes.back()->connectToNode(url))
        fail("cannot connect");
      replicas.emplace_back(nodes.back()->acquire<BenchReplica>(QStringLiteral("bench")));
      if (!replicas.back()->waitForSource(TIMEOUT_MS))
        fail("cannot acquire bench");
    }
    printf("{\"valid\": true}\n");
    fflush(stdout);
    bench_quit_on_stdin_eof();
    app.exec();
  } else if (strcmp(workload, "replicas") == 0) {
    // N replicas of the same source on one node.
    int count = argc > 3 ? atoi(argv[3]) : 1000;
    std::vector<std::unique_ptr<BenchReplica>> replicas;
    long before = resident_kb();

    for (int i = 0; i < count; i++)
      replicas.emplace_back(node.acquire<BenchReplica>(QStringLiteral("bench")));
    for (auto &r : replicas)
      if (!r->waitForSource(TIMEOUT_MS))
        fail("cannot acquire bench");
    printf("{\"rss_per_replica_kb\": %.2f}\n", (double) (resident_kb() - before) / count);
  } else {
    fprintf(stderr, "%s: unknown workload %s\n", program, workload);
    return 2;
  }

  fflush(stdout);
  delete rep;
  return 0;
}
