// libFuzzer harness: CDB dispatch of the tape drive LU provider (SSC-3,
// plugins/lu/ssc) with its cartridge file in RAM (lu_runner.hpp). The first
// input byte: bit 0 a cartridge is loaded at start; bit 1 it is write-
// protected; bit 2 the cartridge file's first bytes come from the input
// (then the next two bytes are their count: a damaged or foreign file);
// then commands (cmd_stream).
#include <cstdint>

#include "plugins/lu/ssc/provider.hpp"
#include "tests/fuzz/lu_runner.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace stmfd;
  if (size < 1) return 0;
  const uint8_t shape = data[0];
  size_t at = 1;
  lu_definition def;
  def.name = "tape";
  def.provider = "ssc";
  def.path = "/nonexistent/tape.cart";  // never opened: the harness is the shell
  def.size_bytes = 1 << 20;
  def.barcode = "FUZZ01L6";
  def.id.serial = "TAPE0001";
  def.id.naa[0] = 0x60;
  const std::vector<uint8_t> saved;
  auto core = ssc::provider().make(lu_make_args{def, 0, saved});
  if (!core) return 0;
  fuzz::ram_lu lu{*core, {}, {}};
  if ((shape & 4) && size - at >= 2) {
    const size_t n = std::min<size_t>(size_t(data[at]) << 8 | data[at + 1], size - at - 2);
    lu.medium.assign(data + at + 2, data + at + 2 + n);
    at += 2 + n;
  }
  if (shape & 1) fuzz::load_medium(*core, lu.medium, !(shape & 2));
  fuzz::cmd_stream s(data + at, size - at);
  fuzz::cmd_input c;
  for (int n = 0; n < 64 && s.next(c); ++n) lu.run(c);
  return 0;
}
