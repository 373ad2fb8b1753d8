#pragma once
// One initiator session for iscsi_pattern, over libiscsi's asynchronous API
// (iscsi_*_task + iscsi_service driven by poll): READ(16) and WRITE(16) with
// many commands in flight, and libiscsi's own recovery from a dropped
// connection (auto-reconnect: a new login with the same ISID, RFC 7143
// 6.3.5 session reinstatement, then the commands in flight are sent again).
// Nothing here blocks without a bound: connect retries until its deadline,
// and service() waits at most the time it is given.
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

struct iscsi_context;

namespace stmfd::tools {

using steady = std::chrono::steady_clock;

// A command's end as the initiator sees it.
struct completion {
  int status = 0;  // SCSI status byte, or libiscsi's SCSI_STATUS_ERROR/CANCELLED/TIMEOUT (no answer)
  int sense_key = -1;
  int asc = -1, ascq = -1;
  std::vector<std::uint8_t> data;  // READ: the Data-In
  bool good() const { return status == 0; }
  bool unit_attention() const;
  // A command libiscsi would not queue: never sent, so sent again like one cut off by a dropped connection.
  static completion not_sent();
  // What happened, for the report: "GOOD", "CHECK CONDITION 3/11/00", "BUSY", "connection error"...
  std::string describe() const;
  // Whether an initiator retries this command (SAM-5 5.3 BUSY and TASK SET
  // FULL; UNIT ATTENTION reports a past event, SPC-4 5.14; NOT READY
  // 04/01 "becoming ready"; a command whose connection dropped before the
  // answer is sent again after recovery).
  bool retryable() const;
};

class iscsi_link {
 public:
  using callback = std::function<void(const completion&)>;

  // URL: iscsi://host:port/target-iqn/lun. CMD_TIMEOUT_S bounds every PDU (libiscsi's task timeout).
  iscsi_link(std::string url, std::string initiator, int cmd_timeout_s);
  ~iscsi_link();
  iscsi_link(const iscsi_link&) = delete;
  iscsi_link& operator=(const iscsi_link&) = delete;

  // Logs in and reads the capacity; retries every 0.5 s until DEADLINE
  // (a port restarting refuses connections, an LU restarting answers NOT
  // READY). False with ERROR set when the deadline passed.
  bool connect(steady::time_point deadline, std::string& error);

  std::uint32_t block_size() const { return block_size_; }
  std::uint64_t blocks() const { return blocks_; }

  // Queues a command; DONE runs from service() exactly once. False if
  // libiscsi refused to queue it (DONE is not called).
  bool write16(std::uint64_t lba, std::vector<std::uint8_t> data, callback done);
  bool read16(std::uint64_t lba, std::uint32_t blocks, callback done);

  // Waits up to TIMEOUT_MS for the socket and lets libiscsi do its work
  // (answers, timeouts, reconnects). False if libiscsi reported a fatal error.
  bool service(int timeout_ms);
  int outstanding() const { return outstanding_; }
  // Reconnects libiscsi reported through its log (level 2) since the start.
  static int reconnects();

 private:
  struct pending;
  static void on_done(iscsi_context*, int status, void* command_data, void* private_data);

  std::string url_, initiator_;
  int cmd_timeout_s_;
  iscsi_context* ctx_ = nullptr;
  int lun_ = 0;
  std::uint32_t block_size_ = 0;
  std::uint64_t blocks_ = 0;
  int outstanding_ = 0;
};

}  // namespace stmfd::tools
