#include "actors/admin/metrics_server.hpp"

#include <kj/async-io.h>
#include <kj/compat/http.h>

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
  return loop_.start("metrics server on " + address,
                     [address, src = std::move(src)](kj::AsyncIoContext& io, kj_thread::keeper& keep,
                                                     std::string&) mutable -> kj::Promise<void> {
                       auto addr = io.provider->getNetwork().parseAddress(address).wait(io.waitScope);
                       auto& receiver = *keep.add(std::make_unique<kj::Own<kj::ConnectionReceiver>>(addr->listen()));
                       auto& table = keep.add(std::make_unique<kj::HttpHeaderTable>());
                       auto& source = keep.add(std::make_unique<metrics_server::source>(std::move(src)));
                       auto& service = keep.add(std::make_unique<metrics_service>(table, source));
                       auto& server =
                           keep.add(std::make_unique<kj::HttpServer>(io.provider->getTimer(), table, service));
                       return server.listenHttp(receiver);
                     });
}

}  // namespace stmfd::admin
