#include "actors/admin/metrics_server.hpp"

#include <kj/async-io.h>
#include <kj/compat/http.h>

#include <condition_variable>

#include "actors/admin/metrics_text.hpp"

namespace stmfd::admin {
namespace {

class metrics_service final : public kj::HttpService {
 public:
  metrics_service(const kj::HttpHeaderTable& table, metrics_server::source& src) : table_(table), source_(src) {}

  kj::Promise<void> request(kj::HttpMethod method, kj::StringPtr url, const kj::HttpHeaders&, kj::AsyncInputStream&,
                            Response& response) override {
    if (method != kj::HttpMethod::GET) return reply(response, 405, "Method Not Allowed", "only GET is served\n");
    kj::StringPtr path = url;
    std::string p(path.cStr());
    if (auto q = p.find('?'); q != std::string::npos) p.resize(q);  // Prometheus may add parameters
    if (p != "/metrics") return reply(response, 404, "Not Found", "the metrics are at /metrics\n");
    stats_list entries;
    std::string error;
    source_(entries, error);
    if (!error.empty()) return reply(response, 503, "Service Unavailable", error + "\n");
    return reply(response, 200, "OK", render_metrics(entries));
  }

 private:
  kj::Promise<void> reply(Response& response, unsigned code, kj::StringPtr status, std::string body) {
    kj::HttpHeaders headers(table_);
    headers.set(kj::HttpHeaderId::CONTENT_TYPE,
                code == 200 ? "text/plain; version=0.0.4; charset=utf-8" : "text/plain; charset=utf-8");
    auto stream = response.send(code, status, headers, uint64_t(body.size()));
    auto owned = kj::heap<std::string>(std::move(body));
    auto promise = stream->write(owned->data(), owned->size());
    return promise.attach(kj::mv(stream), kj::mv(owned));
  }

  const kj::HttpHeaderTable& table_;
  metrics_server::source& source_;
};

}  // namespace

std::string metrics_server::start(const std::string& address, source src) {
  std::condition_variable cv;
  bool ready = false;
  std::string error;
  thread_ = std::thread([this, address, src = std::move(src), &cv, &ready, &error]() mutable {
    auto report = [&](std::string e) {
      std::lock_guard<std::mutex> lock(mutex_);
      error = std::move(e);
      ready = true;
      cv.notify_all();
    };
    KJ_IF_MAYBE (e, kj::runCatchingExceptions([&]() {
                   auto io = kj::setupAsyncIo();
                   auto addr = io.provider->getNetwork().parseAddress(address).wait(io.waitScope);
                   auto receiver = addr->listen();
                   kj::HttpHeaderTable table;
                   metrics_service service(table, src);
                   kj::HttpServer server(io.provider->getTimer(), table, service);
                   auto stop = kj::newPromiseAndCrossThreadFulfiller<void>();
                   {
                     std::lock_guard<std::mutex> lock(mutex_);
                     stop_ = kj::mv(stop.fulfiller);
                     if (stop_requested_) stop_->fulfill();
                     ready = true;
                   }
                   cv.notify_all();
                   stop.promise.exclusiveJoin(server.listenHttp(*receiver)).wait(io.waitScope);
                 })) {
      bool started;
      {
        std::lock_guard<std::mutex> lock(mutex_);
        started = ready;
      }
      if (!started) report("cannot serve metrics on " + address + ": " + e->getDescription().cStr());
    }
  });
  std::unique_lock<std::mutex> lock(mutex_);
  cv.wait(lock, [&] { return ready; });
  if (!error.empty()) {
    lock.unlock();
    thread_.join();
    return error;
  }
  return {};
}

void metrics_server::stop() {
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
