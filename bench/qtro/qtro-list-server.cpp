// qtro-list-server: the list model benchmark's list, shared with Qt Remote
// Objects (see ../PROTOCOL.md, "List model").
//
// Usage: qtro-list-server unix:/PATH | tcp:127.0.0.1:PORT
//
// A QAbstractListModel of 100,000 rows (Qt::DisplayRole "item N",
// Qt::UserRole N), published with QRemoteObjectHost::enableRemoting. On
// "splices N SEED" on stdin it prints {"start_us": …} and makes the same
// splices as gro-list-server, one row inserted or removed at a time.

#include "bench-common.h"

#include <QtCore/QAbstractListModel>
#include <QtCore/QVector>
#include <QtRemoteObjects/QRemoteObjectHost>

static const char program[] = "qtro-list-server";

enum { N_ITEMS = 100000, BATCH = 1000 };

class List : public QAbstractListModel
{
public:
  List()
  {
    m_numbers.reserve(N_ITEMS);
    for (int i = 0; i < N_ITEMS; i++)
      m_numbers.append(i);
    m_next = N_ITEMS;
    m_work.setInterval(0);
    QObject::connect(&m_work, &QTimer::timeout, &m_work, [this] { step(); });
  }

  int rowCount(const QModelIndex &parent = QModelIndex()) const override
  {
    return parent.isValid() ? 0 : int(m_numbers.size());
  }

  QVariant data(const QModelIndex &index, int role) const override
  {
    if (!index.isValid() || index.row() >= m_numbers.size())
      return QVariant();
    int number = m_numbers[index.row()];
    if (role == Qt::DisplayRole)
      return QStringLiteral("item %1").arg(number);
    if (role == Qt::UserRole)
      return number;
    return QVariant();
  }

  void start(int n, quint64 seed)
  {
    m_x = seed;
    m_target = n;
    m_done = 0;
    m_work.start();
  }

private:
  // The same sequence as gro-list-server: a 64-bit LCG.
  void step()
  {
    for (int k = 0; k < BATCH && m_done < m_target; k++, m_done++) {
      int n = int(m_numbers.size());
      m_x = m_x * 6364136223846793005ull + 1442695040888963407ull;
      quint64 r = m_x >> 33;
      if (n > 0 && (r & 1)) {
        int at = int((r >> 1) % quint64(n));
        beginRemoveRows(QModelIndex(), at, at);
        m_numbers.remove(at);
        endRemoveRows();
      } else {
        int at = int((r >> 1) % quint64(n + 1));
        beginInsertRows(QModelIndex(), at, at);
        m_numbers.insert(at, m_next++);
        endInsertRows();
      }
    }
    if (m_done >= m_target)
      m_work.stop();
  }

  QVector<int> m_numbers;
  int m_next = 0;
  quint64 m_x = 0;
  int m_target = 0;
  int m_done = 0;
  QTimer m_work;
};

int
main(int argc, char **argv)
{
  QCoreApplication app(argc, argv);

  if (argc != 2)
    bench_fail(program, "usage: qtro-list-server unix:/PATH | tcp:HOST:PORT");
  QUrl url = bench_qtro_url(argv[1]);
  if (!url.isValid())
    bench_fail(program, "bad address");

  List list;
  QRemoteObjectHost host;
  if (!host.setHostUrl(url))
    bench_fail(program, "cannot listen");
  if (!host.enableRemoting(&list, QStringLiteral("list"), {Qt::DisplayRole, Qt::UserRole}))
    bench_fail(program, "enableRemoting failed");

  // Commands on stdin; the application quits when stdin closes.
  auto *notifier = new QSocketNotifier(STDIN_FILENO, QSocketNotifier::Read, &app);
  QObject::connect(notifier, &QSocketNotifier::activated, notifier, [notifier, &list] {
    char buf[256];
    ssize_t n = read(STDIN_FILENO, buf, sizeof buf - 1);

    if (n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN)) {
      notifier->setEnabled(false);
      QCoreApplication::quit();
      return;
    }
    if (n < 0)
      return;
    buf[n] = '\0';
    int count;
    unsigned long long seed;
    if (sscanf(buf, "splices %d %llu", &count, &seed) == 2) {
      printf("{\"start_us\": %lld}\n", (long long) bench_now_us());
      fflush(stdout);
      list.start(count, seed);
    }
  });

  printf("READY\n");
  fflush(stdout);
  return app.exec();
}
