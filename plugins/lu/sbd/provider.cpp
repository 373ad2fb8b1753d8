#include "plugins/lu/sbd/provider.hpp"

#include "plugins/lu/sbd/disk.hpp"

namespace stmfd::sbd {

namespace {

// saved_state() layout, version 1: [1, wce, d_sense, swp].
constexpr uint8_t saved_version = 1;

class disk_core final : public lu_core {
 public:
  disk_core(identity id, geometry geo, bool wce) : disk_(std::move(id), geo, wce) {}

  command_info classify(const uint8_t* cdb, size_t len) const override { return disk::classify(cdb, len); }
  lu_outcome execute(const lu_command& cmd, uint8_t* data_in, size_t cap) override {
    return disk_.execute(cmd, data_in, cap);
  }
  lu_outcome finish(const lu_command& cmd, const lu_outcome& planned, int io_result, uint8_t failed_step,
                    const uint8_t* buffer) override {
    return disk_.finish(cmd, planned, io_result, failed_step, buffer);
  }
  lu_outcome finish_mapped(const lu_command& cmd, const lu_outcome& planned, int io_result, uint8_t failed_step,
                           uint8_t* buffer) override {
    return disk_.finish_mapped(cmd, planned, io_result, failed_step, buffer);
  }
  bool descriptor_sense() const override { return disk_.descriptor_sense(); }

  std::vector<uint8_t> saved_state() const override {
    const mode_state& m = disk_.mode();
    return {saved_version, uint8_t(m.wce), uint8_t(m.d_sense), uint8_t(m.swp)};
  }
  void restore(const std::vector<uint8_t>& saved) {
    if (saved.size() != 4 || saved[0] != saved_version) return;  // another layout: keep the definition's
    disk_.restore_mode(mode_state{saved[1] != 0, saved[2] != 0, saved[3] != 0});
  }

 private:
  disk disk_;
};

}  // namespace

lu_provider provider() {
  return {"sbd", lu_interface_version, [](const lu_make_args& a) -> std::unique_ptr<lu_core> {
            geometry g;
            g.block_size = a.def.block_size;
            g.block_count = a.capacity_bytes / a.def.block_size;
            g.read_only = a.def.read_only;
            g.thin = a.def.thin;
            if (!disk::valid(g)) return nullptr;
            auto core = std::make_unique<disk_core>(a.def.id, g, a.def.write_cache);
            core->restore(a.saved);
            return core;
          }};
}

}  // namespace stmfd::sbd
