// qtro-list-client: the list model benchmark's workloads with a Qt Remote
// Objects model replica (see ../PROTOCOL.md, "List model").
//
// Usage: qtro-list-client ADDRESS acquire|window|splices [N]

#include "bench-common.h"

#include <QtRemoteObjects/QAbstractItemModelReplica>
#include <QtRemoteObjects/QRemoteObjectNode>

#include <functional>

static const char program[] = "qtro-list-client";
static const int TIMEOUT_MS = 60000;

// Runs the event loop until done() holds, or fails after TIMEOUT_MS.
static void
await(const std::function<bool()> &done, const char *what)
{
  qint64 deadline = bench_now_us() + qint64(TIMEOUT_MS) * 1000;

  while (!done()) {
    if (bench_now_us() > deadline)
      bench_fail(program, what);
    QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 50);
  }
}

int
main(int argc, char **argv)
{
  qint64 start = bench_now_us();
  QCoreApplication app(argc, argv);

  if (argc < 3)
    bench_fail(program, "usage: qtro-list-client ADDRESS acquire|window|splices [N]");
  QUrl url = bench_qtro_url(argv[1]);
  const char *workload = argv[2];
  int n = argc > 3 ? atoi(argv[3]) : 0;

  QRemoteObjectNode node;
  if (!node.connectToNode(url))
    bench_fail(program, "cannot connect");
  QAbstractItemModelReplica *model = node.acquireModel(QStringLiteral("list"));
  // initialized() can come before the row count (Qt 6.4): the list is known
  // not to be empty, so wait for both.
  await([model] { return model->isInitialized() && model->rowCount() > 0; },
        "timed out waiting for the model");

  if (strcmp(workload, "acquire") == 0) {
    int rows = model->rowCount();
    printf("{\"acquire_us\": %lld, \"n_items\": %d}\n", (long long) (bench_now_us() - start), rows);
  } else if (strcmp(workload, "window") == 0) {
    int first = model->rowCount() / 2;
    qint64 t0 = bench_now_us();

    // Reading asks for the rows; they are there when hasData() says so.
    for (int i = first; i < first + 100; i++)
      model->data(model->index(i, 0), Qt::UserRole);
    await([model, first] {
      for (int i = first; i < first + 100; i++)
        if (!model->hasData(model->index(i, 0), Qt::UserRole))
          return false;
      return true;
    }, "timed out waiting for the window");
    printf("{\"window_us\": %lld}\n", (long long) (bench_now_us() - t0));
  } else if (strcmp(workload, "splices") == 0) {
    int changes = 0;
    QObject::connect(model, &QAbstractItemModel::rowsInserted, [&changes] { changes++; });
    QObject::connect(model, &QAbstractItemModel::rowsRemoved, [&changes] { changes++; });
    printf("{\"waiting\": true}\n");
    fflush(stdout);
    await([&changes, n] { return changes >= n; }, "timed out waiting for the splices");
    printf("{\"done_at_us\": %lld, \"changes\": %d, \"n_items\": %d}\n",
           (long long) bench_now_us(), changes, model->rowCount());
  } else {
    bench_fail(program, "unknown workload");
  }

  fflush(stdout);
  return 0;
}
