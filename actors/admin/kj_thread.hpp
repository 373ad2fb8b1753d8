#pragma once
// A thread running a kj event loop (with async I/O) for one server of the
// admin plane (admin_server: the admin RPC; metrics_server: /metrics), so
// that its requests never run on, or wait for, the CAF workers and io
// rings of the data path.
//
// start() runs `setup` on the new thread: it builds what it serves (it may
// keep it in `keep`, which lives until the loop ends) and returns the
// promise to serve, or sets `error` to refuse (the thread ends and start
// returns the error; an exception in setup counts as an error too). The
// loop then runs until stop() or until the promise ends or throws.
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <kj/async-io.h>
#include <kj/async.h>

namespace stmfd::admin {

class kj_thread {
 public:
  // Objects setup wants alive while serving: destroyed on the loop's
  // thread, after the serving promise, in reverse order of adding.
  struct keeper {
    std::vector<std::shared_ptr<void>> items;
    template <class T>
    T& add(std::unique_ptr<T> p) {
      T& ref = *p;
      items.push_back(std::shared_ptr<T>(std::move(p)));
      return ref;
    }
    ~keeper() {
      while (!items.empty()) items.pop_back();
    }
  };
  using setup_fn = std::function<kj::Promise<void>(kj::AsyncIoContext& io, keeper& keep, std::string& error)>;

  kj_thread() = default;
  kj_thread(const kj_thread&) = delete;
  kj_thread& operator=(const kj_thread&) = delete;
  ~kj_thread() { stop(); }

  // `what` names the server in errors and the log. Empty on success.
  std::string start(const std::string& what, setup_fn setup);
  // Ends the loop and joins the thread (idempotent).
  void stop();
  bool running() const { return thread_.joinable(); }
  // Runs `fn` on the loop's thread between two events and waits for it;
  // false (nothing run) when the loop is not running.
  bool run_sync(const std::function<void()>& fn);

 private:
  std::thread thread_;
  std::mutex mutex_;
  kj::Own<kj::CrossThreadPromiseFulfiller<void>> stop_;
  kj::Own<const kj::Executor> executor_;  // the loop's, while it serves (under mutex_)
  bool stop_requested_ = false;
};

}  // namespace stmfd::admin
