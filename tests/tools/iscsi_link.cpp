#include "tests/tools/iscsi_link.hpp"

#include <poll.h>

#include <atomic>
#include <cstdio>
#include <cstring>
#include <thread>

extern "C" {
#include <iscsi/iscsi.h>
#include <iscsi/scsi-lowlevel.h>
}

namespace stmfd::tools {
namespace {

std::atomic<int> reconnects_seen{0};
std::atomic<int> errors_logged{0};
constexpr int errors_printed_max = 20;  // a failing LU answers thousands of commands: the first ones tell

// libiscsi's log at level 2 names connection events; the tool counts
// reconnects from it and prints the first level-1 lines (errors) on stderr.
void log_line(int level, const char* message) {
  if (std::strstr(message, "reconnect was successful")) ++reconnects_seen;
  if (level <= 1 && errors_logged++ < errors_printed_max) std::fprintf(stderr, "libiscsi: %s\n", message);
}

}  // namespace

std::string completion::describe() const {
  char buf[64];
  switch (status) {
    case SCSI_STATUS_GOOD: return "GOOD";
    case SCSI_STATUS_CHECK_CONDITION:
      std::snprintf(buf, sizeof buf, "CHECK CONDITION %x/%02x/%02x", sense_key, asc, ascq);
      return buf;
    case SCSI_STATUS_BUSY: return "BUSY";
    case SCSI_STATUS_TASK_SET_FULL: return "TASK SET FULL";
    case SCSI_STATUS_RESERVATION_CONFLICT: return "RESERVATION CONFLICT";
    case SCSI_STATUS_TASK_ABORTED: return "TASK ABORTED";
    case SCSI_STATUS_CANCELLED: return "cancelled (connection lost)";
    case SCSI_STATUS_ERROR: return "connection error";
    case SCSI_STATUS_TIMEOUT: return "timed out";
  }
  std::snprintf(buf, sizeof buf, "status 0x%x", status);
  return buf;
}

bool completion::unit_attention() const {
  return status == SCSI_STATUS_CHECK_CONDITION && sense_key == SCSI_SENSE_UNIT_ATTENTION;
}

completion completion::not_sent() {
  completion c;
  c.status = SCSI_STATUS_ERROR;
  return c;
}

bool completion::retryable() const {
  switch (status) {
    case SCSI_STATUS_BUSY:
    case SCSI_STATUS_TASK_SET_FULL:
    case SCSI_STATUS_TASK_ABORTED:
    case SCSI_STATUS_CANCELLED:
    case SCSI_STATUS_ERROR:
    case SCSI_STATUS_TIMEOUT: return true;
    case SCSI_STATUS_CHECK_CONDITION:
      return sense_key == SCSI_SENSE_UNIT_ATTENTION ||
             (sense_key == SCSI_SENSE_NOT_READY && asc == 0x04 && ascq == 0x01);
  }
  return false;
}

// What travels with a command through libiscsi: the buffer it must keep
// alive (WRITE: libiscsi sends from it without copying) and the callback.
struct iscsi_link::pending {
  iscsi_link* link;
  scsi_task* task = nullptr;
  std::vector<std::uint8_t> out;
  callback done;
};

int iscsi_link::reconnects() { return reconnects_seen.load(); }

iscsi_link::iscsi_link(std::string url, std::string initiator, int cmd_timeout_s)
    : url_(std::move(url)), initiator_(std::move(initiator)), cmd_timeout_s_(cmd_timeout_s) {}

iscsi_link::~iscsi_link() {
  // Only an idle context is torn down cleanly; with commands still in
  // flight (a hang being reported) the process is about to exit anyway.
  if (ctx_ && outstanding_ == 0) {
    iscsi_logout_sync(ctx_);
    iscsi_destroy_context(ctx_);
  }
}

bool iscsi_link::connect(steady::time_point deadline, std::string& error) {
  for (;;) {
    ctx_ = iscsi_create_context(initiator_.c_str());
    if (!ctx_) {
      error = "iscsi_create_context failed";
      return false;
    }
    iscsi_set_log_level(ctx_, 2);
    iscsi_set_log_fn(ctx_, log_line);
    iscsi_set_timeout(ctx_, cmd_timeout_s_);
    iscsi_url* url = iscsi_parse_full_url(ctx_, url_.c_str());
    if (!url) {
      error = std::string("bad URL ") + url_ + ": " + iscsi_get_error(ctx_);
      iscsi_destroy_context(ctx_);
      ctx_ = nullptr;
      return false;
    }
    lun_ = url->lun;
    iscsi_set_targetname(ctx_, url->target);
    iscsi_set_session_type(ctx_, ISCSI_SESSION_NORMAL);
    iscsi_set_header_digest(ctx_, ISCSI_HEADER_DIGEST_NONE_CRC32C);
    bool ok = iscsi_full_connect_sync(ctx_, url->portal, url->lun) == 0;
    iscsi_destroy_url(url);
    if (ok) {
      scsi_task* t = iscsi_readcapacity16_sync(ctx_, lun_);
      auto* rc =
          t && t->status == SCSI_STATUS_GOOD ? static_cast<scsi_readcapacity16*>(scsi_datain_unmarshall(t)) : nullptr;
      if (rc && rc->block_length >= 512) {
        block_size_ = rc->block_length;
        blocks_ = rc->returned_lba + 1;
      }
      if (t) scsi_free_scsi_task(t);
      if (block_size_) return true;
      error = "READ CAPACITY(16) failed";
    } else {
      error = iscsi_get_error(ctx_);
    }
    iscsi_destroy_context(ctx_);
    ctx_ = nullptr;
    if (steady::now() + std::chrono::milliseconds(500) > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
}

void iscsi_link::on_done(iscsi_context*, int status, void* command_data, void* private_data) {
  std::unique_ptr<pending> p(static_cast<pending*>(private_data));
  completion c;
  c.status = status;
  // The task is ours to free, whatever the status (a cancelled command
  // carries no task pointer in command_data).
  scsi_task* t = p->task;
  if (t && status == SCSI_STATUS_CHECK_CONDITION) {
    c.sense_key = t->sense.key;
    c.asc = (t->sense.ascq >> 8) & 0xff;
    c.ascq = t->sense.ascq & 0xff;
  }
  if (t && status == SCSI_STATUS_GOOD && t->datain.data) c.data.assign(t->datain.data, t->datain.data + t->datain.size);
  --p->link->outstanding_;
  if (t) scsi_free_scsi_task(t);
  p->done(c);
}

bool iscsi_link::write16(std::uint64_t lba, std::vector<std::uint8_t> data, callback done) {
  auto p = std::make_unique<pending>(pending{this, nullptr, std::move(data), std::move(done)});
  p->task = iscsi_write16_task(ctx_, lun_, lba, p->out.data(), static_cast<std::uint32_t>(p->out.size()),
                               static_cast<int>(block_size_), 0, 0, 0, 0, 0, on_done, p.get());
  if (!p->task) return false;
  ++outstanding_;
  p.release();  // on_done owns it now
  return true;
}

bool iscsi_link::read16(std::uint64_t lba, std::uint32_t blocks, callback done) {
  auto p = std::make_unique<pending>(pending{this, nullptr, {}, std::move(done)});
  p->task = iscsi_read16_task(ctx_, lun_, lba, blocks * block_size_, static_cast<int>(block_size_), 0, 0, 0, 0, 0,
                              on_done, p.get());
  if (!p->task) return false;
  ++outstanding_;
  p.release();
  return true;
}

bool iscsi_link::service(int timeout_ms) {
  pollfd pfd{iscsi_get_fd(ctx_), static_cast<short>(iscsi_which_events(ctx_)), 0};
  if (pfd.events == 0) {  // reconnecting: libiscsi asks for a pause, then to be called again
    std::this_thread::sleep_for(std::chrono::milliseconds(std::min(timeout_ms, 100)));
    return iscsi_service(ctx_, 0) == 0;
  }
  int n = poll(&pfd, 1, timeout_ms);
  if (n < 0) return errno == EINTR;
  // revents 0 still lets libiscsi run its timeout scan.
  return iscsi_service(ctx_, n > 0 ? pfd.revents : 0) == 0;
}

}  // namespace stmfd::tools
