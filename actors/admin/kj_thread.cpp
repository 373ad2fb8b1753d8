#include "actors/admin/kj_thread.hpp"

#include <condition_variable>

#include "actors/common/log.hpp"

namespace stmfd::admin {

std::string kj_thread::start(const std::string& what, setup_fn setup) {
  std::condition_variable ready_cv;
  bool ready = false;
  std::string setup_error;
  thread_ = std::thread([this, what, setup = std::move(setup), &ready, &ready_cv, &setup_error] {
    auto signal_ready = [&](std::string err) {
      std::lock_guard<std::mutex> lock(mutex_);
      setup_error = std::move(err);
      ready = true;
      ready_cv.notify_all();
    };
    KJ_IF_MAYBE (e, kj::runCatchingExceptions([&]() {
                   auto io = kj::setupAsyncIo();
                   keeper keep;
                   std::string error;
                   kj::Promise<void> serving = setup(io, keep, error);
                   if (!error.empty()) return signal_ready(error);
                   auto stop = kj::newPromiseAndCrossThreadFulfiller<void>();
                   {
                     std::lock_guard<std::mutex> lock(mutex_);
                     stop_ = kj::mv(stop.fulfiller);
                     if (stop_requested_) stop_->fulfill();
                     executor_ = kj::getCurrentThreadExecutor().addRef();
                   }
                   signal_ready({});
                   stop.promise.exclusiveJoin(kj::mv(serving)).wait(io.waitScope);
                   std::lock_guard<std::mutex> lock(mutex_);
                   executor_ = nullptr;  // a call queued after this point throws DISCONNECTED
                 })) {
      std::lock_guard<std::mutex> lock(mutex_);
      executor_ = nullptr;
      if (ready) log::error("the {} stopped: {}", what, std::string(e->getDescription().cStr()));
      if (!ready) setup_error = "cannot start the " + what + ": " + e->getDescription().cStr();
      ready = true;
      ready_cv.notify_all();
    }
  });
  std::unique_lock<std::mutex> lock(mutex_);
  ready_cv.wait(lock, [&] { return ready; });
  if (!setup_error.empty()) {
    lock.unlock();
    thread_.join();
    return setup_error;
  }
  return {};
}

bool kj_thread::run_sync(const std::function<void()>& fn) {
  kj::Own<const kj::Executor> ex;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (executor_ && !stop_requested_) ex = executor_->addRef();  // kept alive even if the loop exits
  }
  if (!ex) return false;
  KJ_IF_MAYBE (e, kj::runCatchingExceptions([&]() { ex->executeSync([&]() { fn(); }); })) {
    log::error("admin thread call failed: {}", std::string(e->getDescription().cStr()));
  }
  return true;
}

void kj_thread::stop() {
  if (!thread_.joinable()) return;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_requested_ = true;
    if (stop_) stop_->fulfill();
  }
  thread_.join();
  stop_ = nullptr;
}

}  // namespace stmfd::admin
