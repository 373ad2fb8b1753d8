#pragma once
// What the FC port provider serves, from the config (`fcPorts`): each local
// port's names and the HBA it is bound to, and the settings every port
// shares. Immutable once the provider starts.
#include <cstdint>
#include <string>
#include <vector>

namespace stmfd::fc {

struct port_config {
  uint64_t wwnn = 0;                // node name (the target device's name, VPD 83h)
  uint64_t wwpn = 0;                // port name: the target name is "wwn.<16 hex digits>"
  std::string interface;            // the HBA: a loopback pair's name, or an Ethernet interface for FCoE
  std::string driver = "loopback";  // "loopback" (in process) or "fcoe" (VN2VN on an Ethernet interface)
  uint16_t target_port_group = 1;
};

struct port_settings {
  uint32_t cmd_window = 128;            // exchanges a remote port may have open (beyond: TASK SET FULL)
  uint32_t max_burst = 256u << 10;      // FCP_BURST_LEN of one FCP_XFER_RDY
  uint32_t max_task_bytes = 16u << 20;  // largest FCP_DL accepted
  uint32_t open_retry_ms = 1000;        // how often an HBA that is not there yet is looked for
};

struct provider_context {
  std::vector<port_config> ports;
  port_settings settings;
};

// "wwn." and 16 lower-case hex digits (COMSTAR's form, as views match it).
std::string wwn_name(uint64_t wwn);

}  // namespace stmfd::fc
