#include "plugins/lu/sbd/provider.hpp"

#include "plugins/lu/sbd/disk.hpp"

namespace stmfd::sbd {

namespace {

// saved_state() layout, version 2: [2, flags (bit 0 WCE, bit 1 a removable
// medium is ejected)], then per I_T nexus whose
// Control page differs from the default: nexus id (8 bytes, little endian),
// flags (bit 0 D_SENSE, bit 1 SWP).
constexpr uint8_t saved_version = 2;
constexpr size_t saved_head = 2, saved_entry = 9;

class disk_core final : public lu_core {
 public:
  disk_core(identity id, geometry geo, bool wce) : disk_(std::move(id), geo, wce) {}

  command_info classify(const uint8_t* cdb, size_t len) const override { return disk::classify(cdb, len); }
  lu_outcome execute(const lu_command& cmd, uint8_t* data_in, size_t cap) override {
    return disk_.execute(cmd, data_in, cap);
  }
  lu_outcome finish(const lu_command& cmd, const lu_outcome& planned, int io_result, uint8_t failed_step,
                    const uint8_t* buffer) override {
    if (planned.long_op != lu_outcome::long_op_kind::none) return disk_.finish_long_op(io_result);
    return disk_.finish(cmd, planned, io_result, failed_step, buffer);
  }
  void long_op_progress(uint64_t done, uint64_t total) override { disk_.long_op_progress(done, total); }
  void restore_durable(const std::vector<uint8_t>& record) override { disk_.restore_durable(record); }
  lu_outcome finish_mapped(const lu_command& cmd, const lu_outcome& planned, int io_result, uint8_t failed_step,
                           uint8_t* buffer) override {
    return disk_.finish_mapped(cmd, planned, io_result, failed_step, buffer);
  }
  bool descriptor_sense() const override { return disk_.descriptor_sense(); }
  bool descriptor_sense_for(uint64_t nexus) const override { return disk_.descriptor_sense(nexus); }
  void nexus_gone(uint64_t nexus) override { disk_.forget(nexus); }
  void reset() override { disk_.reset(); }

  std::vector<uint8_t> saved_state() const override {
    std::vector<uint8_t> out{saved_version, uint8_t((disk_.mode().wce ? 1 : 0) | (disk_.medium_present() ? 0 : 2))};
    for (const auto& [nexus, c] : disk_.control_by_nexus()) {
      for (int i = 0; i < 8; ++i) out.push_back(uint8_t(nexus >> (8 * i)));
      out.push_back(uint8_t((c.d_sense ? 1 : 0) | (c.swp ? 2 : 0)));
    }
    return out;
  }
  void restore(const std::vector<uint8_t>& saved) {
    // Another layout: keep the definition's values.
    if (saved.size() < saved_head || saved[0] != saved_version || (saved.size() - saved_head) % saved_entry) return;
    mode_state m;
    m.wce = (saved[1] & 1) != 0;
    disk_.restore_mode(m);
    disk_.restore_medium((saved[1] & 2) == 0);
    for (size_t at = saved_head; at < saved.size(); at += saved_entry) {
      uint64_t nexus = 0;
      for (int i = 0; i < 8; ++i) nexus |= uint64_t(saved[at + size_t(i)]) << (8 * i);
      const uint8_t f = saved[at + 8];
      disk_.restore_control(nexus, control_params{(f & 1) != 0, (f & 2) != 0});
    }
  }

 private:
  disk disk_;
};

}  // namespace

lu_provider provider() {
  lu_provider p{.name = "sbd",
                .version = lu_interface_version,
                .make = [](const lu_make_args& a) -> std::unique_ptr<lu_core> {
                  geometry g;
                  g.block_size = a.def.block_size;
                  g.block_count = a.capacity_bytes / a.def.block_size;
                  g.read_only = a.def.read_only;
                  g.removable = a.def.removable;
                  g.thin = a.def.thin;
                  // LOGICAL BLOCKS PER PHYSICAL BLOCK EXPONENT (the config checked the ratio).
                  for (uint32_t p = a.def.physical_block_size; p > g.block_size && g.lbppbe < 15; p >>= 1) ++g.lbppbe;
                  if (!disk::valid(g)) return nullptr;
                  auto core = std::make_unique<disk_core>(a.def.id, g, a.def.write_cache);
                  core->restore(a.saved);
                  return core;
                },
                // READ(16)/WRITE(16) on a direct-access LU: an EXTENDED COPY target
                .block_copy_target = true};
  return p;
}

}  // namespace stmfd::sbd
