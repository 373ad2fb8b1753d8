// stmfd: the daemon. Loads the config, starts STMF (which starts everything
// else), and turns SIGTERM/SIGINT into an orderly shutdown: listeners
// closed, sessions logged out, backing files synced.
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include <caf/all.hpp>

#include "actors/admin/admin_server.hpp"
#include "actors/admin/admin_start.hpp"
#include "actors/admin/caf_stmf_link.hpp"
#include "actors/admin/metrics_server.hpp"
#include "actors/admin/readiness.hpp"
#include "actors/admin/socket_path.hpp"
#include "actors/common/fwd.hpp"
#include "actors/common/log.hpp"
#include "actors/model/preflight.hpp"
#include "actors/stmf/data_dir.hpp"
#include "actors/stmf/definitions.hpp"
#include "actors/stmf/host_probe.hpp"
#include "actors/stmf/stmf_actor.hpp"
#include "io/buffer_pool.hpp"
#include "plugins/lu/sbd/provider.hpp"
#include "plugins/lu/smc/provider.hpp"
#include "plugins/lu/ssc/provider.hpp"
#include "plugins/port/fc/provider.hpp"
#include "plugins/port/iscsi/provider.hpp"
#include "wire/config/loader.hpp"

namespace {

const char* usage_text =
    "usage: stmfd --config FILE [--log-level LEVEL] [--admin-socket PATH|none] [--check]\n"
    "\n"
    "stmfd is a userspace SCSI target: it serves disk LUs (files, block devices\n"
    "or RAM) and tape drives (cartridge files) to initiators over iSCSI (RFC 7143), modelled on COMSTAR.\n"
    "\n"
    "  --config FILE      the JSON config (see config/README.md; config/default.json\n"
    "                     serves one 1 GiB file-backed disk on 127.0.0.1:3260)\n"
    "  --log-level LEVEL  error | warn | info | debug (overrides the config's logLevel)\n"
    "  --admin-socket PATH  where the admin interface (wire/admin.capnp; stmfadm) listens:\n"
    "                     default /run/stmfd/admin.sock as root, else\n"
    "                     $XDG_RUNTIME_DIR/stmfd/admin.sock (or $STMFD_ADMIN_SOCKET);\n"
    "                     `none` serves no admin interface. Admin changes are written\n"
    "                     back to the --config file atomically.\n"
    "  --check            validate the config and what it names on this host (LU\n"
    "                     paths and sizes, RAM against memory, portals), report every\n"
    "                     problem and exit (0 = valid, 2 = problems)\n"
    "  --help             this text\n"
    "\n"
    "Signals: SIGTERM or SIGINT shut down cleanly (connections closed, files synced);\n"
    "SIGHUP re-reads the config file and applies the difference live (stmfadm apply).\n"
    "Fault injection (tests): stmfadm inject-fault / list-faults / clear-faults, on the\n"
    "Unix admin socket only.\n";

int fail(const std::string& msg) {
  std::fprintf(stderr, "stmfd: %s\n", msg.c_str());
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::string config_path, log_level, admin_socket = stmfd::admin::default_socket_path();
  bool check_only = false;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--help" || a == "-h") {
      std::fputs(usage_text, stdout);
      return 0;
    } else if (a == "--config" && i + 1 < argc) {
      config_path = argv[++i];
    } else if (a == "--log-level" && i + 1 < argc) {
      log_level = argv[++i];
    } else if (a == "--admin-socket" && i + 1 < argc) {
      admin_socket = argv[++i];
    } else if (a == "--check") {
      check_only = true;
    } else {
      std::fputs(usage_text, stderr);
      return fail("unknown or incomplete argument '" + a + "'");
    }
  }
  if (config_path.empty()) {
    std::fputs(usage_text, stderr);
    return fail("--config FILE is required");
  }
  auto loaded = stmfd::wire::cfg::load_file(config_path);
  if (!loaded.ok) return fail(loaded.error);
  auto root = loaded.root();
  auto built = stmfd::definitions_from(root);
  if (!built.defs) return fail(config_path + ": " + built.error);
  if (check_only) {
    stmfd::system_probe host;
    auto problems = stmfd::preflight(root, host);
    for (auto& p : problems)
      std::fprintf(stderr, "stmfd: %s: %s: %s\n", config_path.c_str(), p.subject.c_str(), p.what.c_str());
    if (!problems.empty()) return fail(config_path + ": " + std::to_string(problems.size()) + " problem(s)");
    std::printf("%s: valid\n", config_path.c_str());
    return 0;
  }
  if (!stmfd::log::set_level(log_level.empty() ? std::string(root.getLogLevel()) : log_level))
    return fail("unknown log level '" + log_level + "'");
  // Remote admin access (Config.admin): never without TLS and a token; a
  // token or certificate that cannot be read stops the daemon here.
  auto admin_tcp = stmfd::admin::tcp_settings_from(root);
  if (admin_tcp) {
    if (auto err = stmfd::admin::check_tcp_files(*admin_tcp); !err.empty()) return fail(config_path + ": " + err);
  }
  // dataDir is created when missing; if it cannot be, the LUs kept there
  // are reported failed and retried like any store that does not open.
  std::string data_dir = root.getDataDir();
  auto made = stmfd::ensure_data_dir(data_dir);
  if (!made.error.empty())
    stmfd::log::warn("dataDir {}: {}", data_dir, made.error);
  else if (made.created)
    stmfd::log::info("dataDir {} created (mode 0750)", data_dir);
  // One cap on data-buffer memory for the whole daemon (config `limits`),
  // set before any actor can take a buffer.
  stmfd::io::buffer_pool::global().set_cap(root.getLimits().getBufferMemory());
  auto defs = std::move(*built.defs);
  // Providers are registered here, explicitly (conventions.md: no global
  // constructors); this is the one file of actors/ that knows plugins/.
  auto providers = std::make_shared<stmfd::provider_registry>();
  providers->add(stmfd::sbd::provider());
  providers->add(stmfd::ssc::provider());
  providers->add(stmfd::smc::provider());
  auto iscsi_ctx = stmfd::iscsi::context_from(root);
  // Always registered, also with no portal: itadm create-tpg / create-target
  // add portals and targets to the running provider.
  providers->add(stmfd::iscsi::provider(iscsi_ctx));
  auto fc_ctx = stmfd::fc::context_from(root);
  if (!fc_ctx->ports.empty()) providers->add(stmfd::fc::provider(fc_ctx));
  defs.providers = providers;
  // Logins, logouts, LU state changes, recoveries: STMF publishes, admin
  // subscribers (stmfadm watch) drain their own bounded queues.
  auto events = std::make_shared<stmfd::event_hub>();
  defs.events = events;

  // Signals go to one thread that waits for them; everyone else blocks them.
  sigset_t sigs;
  sigemptyset(&sigs);
  sigaddset(&sigs, SIGTERM);
  sigaddset(&sigs, SIGINT);
  sigaddset(&sigs, SIGUSR1);
  sigaddset(&sigs, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &sigs, nullptr);
  signal(SIGPIPE, SIG_IGN);

  caf::actor_system_config cfg;
  cfg.set("scheduler.max-threads", size_t(defs.workers));
  // The sharing policy parks idle workers on a condition variable that an
  // enqueue from the io ring threads signals; work stealing polls with
  // sleeps, which adds latency to every completion coming from outside.
  cfg.set("scheduler.policy", caf::atom("sharing"));
  caf::actor_system sys{cfg};
  stmfd::log::info("stmfd starting: {} LU(s), {} portal(s), {} worker thread(s)", defs.lus.size(),
                   iscsi_ctx->portals.size(), defs.workers);
  auto stmf = sys.spawn<stmfd::stmf_actor>(std::move(defs));

  // The admin interface: its own thread; changes reach STMF by message and
  // the config file atomically (actors/admin/). A daemon that cannot bind
  // its socket serves without it.
  std::ostringstream config_text;
  config_text << std::ifstream(config_path, std::ios::binary).rdbuf();
  stmfd::admin::caf_stmf_link admin_link(sys, stmf);
  stmfd::admin::admin_service admin_service(config_path, config_text.str(), admin_link);
  admin_service.set_events(events);
  admin_service.set_providers(providers);  // issue 8: the library verbs read and write media files
  stmfd::admin::admin_server admin_server;
  std::string admin_error = stmfd::admin::start_admin(
      admin_server, admin_service, admin_socket == "none" ? "" : admin_socket, admin_tcp ? &*admin_tcp : nullptr);
  if (!admin_error.empty()) {
    stmfd::log::error("stmfd: {}", admin_error);
    caf::anon_send(stmf, stmfd::shutdown_atom::value);
  }

  // The Prometheus endpoint (config `metrics`): off unless an address is set.
  stmfd::admin::metrics_server metrics;
  if (std::string listen = root.getMetrics().getListen(); !listen.empty()) {
    auto err = metrics.start(listen,
                             [&admin_link](stmfd::stats_list& out, std::string& e) { out = admin_link.statistics(e); });
    if (!err.empty())
      stmfd::log::error("{}", err);
    else
      stmfd::log::info("metrics on http://{}/metrics", listen);
  }

  // systemd (Type=notify): ready once the admin socket is served (above)
  // and every portal listens.
  std::vector<std::string> portals;
  for (auto t : root.getTargets())
    for (auto p : t.getPortals()) portals.emplace_back(p.cStr());
  stmfd::admin::readiness_notifier readiness;
  readiness.start(portals);

  std::atomic<bool> signalled{false};
  std::thread waiter([&] {
    for (;;) {
      int sig = 0;
      sigwait(&sigs, &sig);
      if (sig == SIGUSR1) return;  // main is done
      if (sig == SIGHUP) {         // reload: the same path as stmfadm apply
        stmfd::log::info("stmfd: SIGHUP: re-reading {}", config_path);
        stmfd::admin::notify_reloading();
        admin_server.run_exclusive([&] { admin_service.reload(); });
        stmfd::admin::notify_ready("configuration reloaded");
        continue;
      }
      signalled = true;
      stmfd::log::info("stmfd: signal {} received, shutting down", sig);
      stmfd::admin::notify_stopping();
      caf::anon_send(stmf, stmfd::shutdown_atom::value);
      return;
    }
  });

  int rc = 0;
  {
    caf::scoped_actor self{sys};
    self->monitor(stmf);
    self->receive([&](caf::down_msg& m) {
      if (!signalled && m.reason && m.reason != caf::exit_reason::user_shutdown) {
        stmfd::log::error("stmfd: stopped: {}", to_string(m.reason));
        rc = 1;
      }
    });
  }
  readiness.stop();
  metrics.stop();
  admin_server.stop();
  if (!admin_error.empty()) rc = 1;
  if (!signalled) pthread_kill(waiter.native_handle(), SIGUSR1);
  waiter.join();
  stmfd::log::info("stmfd stopped");
  return rc;
}
