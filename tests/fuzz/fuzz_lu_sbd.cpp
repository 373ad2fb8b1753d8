// libFuzzer harness: CDB dispatch of the disk LU provider (SBC-3/SPC-4,
// plugins/lu/sbd) against a RAM store, the plan steps run as the LU shell
// runs them (lu_runner.hpp). The first input byte picks the LU: bit 0 4096-
// byte blocks (else 512), bit 1 thin, bit 2 removable, bit 3 read-only,
// bit 4 write cache off, bits 5-6 the physical block exponent; then
// commands (cmd_stream).
#include <cstdint>

#include "plugins/lu/sbd/provider.hpp"
#include "tests/fuzz/lu_runner.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace stmfd;
  if (size < 1) return 0;
  const uint8_t shape = data[0];
  lu_definition def;
  def.name = "fuzz";
  def.backing = lu_definition::backing_kind::ram;
  def.block_size = (shape & 1) ? 4096 : 512;
  def.thin = shape & 2;
  def.removable = shape & 4;
  def.read_only = shape & 8;
  def.write_cache = !(shape & 16);
  def.physical_block_size = def.block_size << ((shape >> 5) & 3);
  def.id.serial = "FUZZ0001";
  def.id.naa[0] = 0x60;
  const uint64_t capacity = uint64_t(def.block_size) * 64;
  const std::vector<uint8_t> saved;
  auto core = sbd::provider().make(lu_make_args{def, capacity, saved});
  if (!core) return 0;
  fuzz::ram_lu lu{*core, std::vector<uint8_t>(capacity), {}};
  fuzz::cmd_stream s(data + 1, size - 1);
  fuzz::cmd_input c;
  for (int n = 0; n < 64 && s.next(c); ++n) lu.run(c);
  return 0;
}
