// qtro-server: serves the benchmark's object "bench" with Qt Remote Objects
// (see ../PROTOCOL.md).
//
// Usage: qtro-server unix:/PATH | tcp:127.0.0.1:PORT
//
// The object is the repc-generated BenchSimpleSource (bench.rep), published
// with QRemoteObjectHost::enableRemoting. It prints READY once the host
// listens and exits when stdin closes.

#include "bench-common.h"
#include "rep_bench_source.h"

#include <QtRemoteObjects/QRemoteObjectHost>

static const char program[] = "qtro-server";

enum { N_P = 50, BLOB_SIZE = 1024 * 1024,
       // Changes made between two event-loop iterations, so that the
       // connection flushes as a source changing fast in real life would
       // (the same as gro-server).
       BATCH = 1000 };

class Bench : public BenchSimpleSource
{
public:
  Bench()
  {
    // p0 ... p49 start at 0 ... 49 (bench.rep gives them no defaults).
    for (int i = 0; i < N_P; i++)
      setProperty(QByteArray("p" + QByteArray::number(i)).constData(), i);

    // Byte i of blob change k is (i + k) mod 256: change k is this pattern
    // from offset k mod 256 on.
    m_pattern.resize(BLOB_SIZE + 256);
    for (int i = 0; i < BLOB_SIZE + 256; i++)
      m_pattern[i] = char(i % 256);

    // An interval-0 timer fires once per event-loop iteration when nothing
    // else is pending, like g_idle_add().
    m_work.setInterval(0);
    QObject::connect(&m_work, &QTimer::timeout, &m_work, [this] { step(); });
  }

  int add(int a, int b) override { return a + b; }

  // push, signals and blobs start their work after the call has been
  // answered: the work runs from the event loop, after this slot returns.
  void push(int n) override { start(Push, n); }
  void signals(int n) override { start(Signals, n); }
  void blobs(int n) override { start(Blobs, n); }

  void reset() override
  {
    m_work.stop();
    setValue(0);
  }

private:
  enum Kind { Push, Signals, Blobs };

  void start(Kind kind, int n)
  {
    m_kind = kind;
    m_target = n;
    m_done = 0;
    m_work.start();
  }

  void step()
  {
    switch (m_kind) {
    case Push:
      for (int k = 0; k < BATCH && m_done < m_target; k++)
        setValue(++m_done);
      break;
    case Signals:
      for (int k = 0; k < BATCH && m_done < m_target; k++)
        Q_EMIT tick(++m_done);
      break;
    case Blobs:
      // One 1 MiB change per iteration; changes k = 0 ... n-1.
      setBlob(QByteArray(m_pattern.constData() + m_done % 256, BLOB_SIZE));
      m_done++;
      break;
    }
    if (m_done >= m_target)
      m_work.stop();
  }

  QTimer m_work;
  QByteArray m_pattern;
  Kind m_kind = Push;
  int m_target = 0;
  int m_done = 0;
};

int
main(int argc, char **argv)
{
  QCoreApplication app(argc, argv);
  QUrl url;

  if (argc != 2 || !(url = bench_qtro_url(argv[1])).isValid()) {
    fprintf(stderr, "usage: %s unix:/PATH | tcp:HOST:PORT\n", program);
    return 2;
  }

  Bench bench;
  QRemoteObjectHost host;

  if (!host.setHostUrl(url))
    bench_fail(program, "cannot listen");
  if (!host.enableRemoting(&bench, QStringLiteral("bench")))
    bench_fail(program, "cannot enable remoting");

  printf("READY\n");
  fflush(stdout);
  bench_quit_on_stdin_eof();
  return app.exec();
}
