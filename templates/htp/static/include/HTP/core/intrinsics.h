// opgen-owned file: part of opgen's host emulation of the HTP op-writing API (see opgen_host.h).
// HVX is not emulated. The vector types exist so that declarations compile, but declaring a
// vector, or calling the HVX helpers named below, stops the build with one message that says
// how to guard the code. Prefetches are no-ops on the host.
#ifndef OPGEN_HTP_INTRINSICS_H
#define OPGEN_HTP_INTRINSICS_H

#include <cstddef>
#include <cstdint>

#define OPGEN_HTP_HVX_MESSAGE                                                                      \
  "opgen HTP host emulation: HVX (HVX_Vector, HVX_VectorPair, HVX_VectorPred, the Q6_* "           \
  "intrinsics, vmemu, q6op_*) is not available on the host. Guard HVX code with "                 \
  "#ifndef OPGEN_HTP_HOST_EMULATION (or #ifdef __hexagon__) and give the host a scalar path, for " \
  "example a registration over the generic Tensor type"

namespace opgen_htp __attribute__((visibility("hidden"))) {
template <typename T>
struct hvx_unavailable {
  static_assert(sizeof(T) == 0, OPGEN_HTP_HVX_MESSAGE);
};
struct hvx_vector_tag {};
struct hvx_pair_tag {};
struct hvx_pred_tag {};
// What the stubs return, so nested calls report the first HVX use only.
struct hvx_value {};
template <typename... A>
struct hvx_false {
  static constexpr bool value = false;
};
}  // namespace opgen_htp

typedef opgen_htp::hvx_unavailable<opgen_htp::hvx_vector_tag> HVX_Vector;
typedef opgen_htp::hvx_unavailable<opgen_htp::hvx_pair_tag> HVX_VectorPair;
typedef opgen_htp::hvx_unavailable<opgen_htp::hvx_pred_tag> HVX_VectorPred;

#define OPGEN_HTP_HVX_STUB_(NAME)                                            \
  template <typename... A>                                                   \
  inline opgen_htp::hvx_value NAME(A&&...) {                                 \
    static_assert(opgen_htp::hvx_false<A...>::value, OPGEN_HTP_HVX_MESSAGE); \
    return {};                                                               \
  }
OPGEN_HTP_HVX_STUB_(Q6_Vb_vsplat_R)
OPGEN_HTP_HVX_STUB_(Q6_Vh_vsplat_R)
OPGEN_HTP_HVX_STUB_(Q6_V_vsplat_R)
OPGEN_HTP_HVX_STUB_(Q6_Vub_vmax_VubVub)
OPGEN_HTP_HVX_STUB_(Q6_Vub_vmin_VubVub)
OPGEN_HTP_HVX_STUB_(Q6_Vhf_vmax_VhfVhf)
OPGEN_HTP_HVX_STUB_(Q6_Vhf_vmin_VhfVhf)
OPGEN_HTP_HVX_STUB_(vmemu)
OPGEN_HTP_HVX_STUB_(q6op_vstu_AV)
OPGEN_HTP_HVX_STUB_(q6op_vstu_variable_ARV)
OPGEN_HTP_HVX_STUB_(q6op_V_vldu_A)
#undef OPGEN_HTP_HVX_STUB_

// Stack buffers of N blocks of 16 vectors (2048 bytes), 128-byte aligned; halves have 8 vectors,
// doubles 32, quads 64.
namespace tileExt {
template <size_t N, size_t BYTES>
struct aligned_tile_buffers {
  alignas(128) uint8_t data[N][BYTES];
  uint8_t* buf(size_t i) noexcept { return data[i]; }
};
template <size_t N>
using tile_buffers = aligned_tile_buffers<N, 2048>;
template <size_t N>
using tile_half_buffers = aligned_tile_buffers<N, 1024>;
template <size_t N>
using tile_double_buffers = aligned_tile_buffers<N, 4096>;
template <size_t N>
using tile_quad_buffers = aligned_tile_buffers<N, 8192>;
}  // namespace tileExt

inline void dcfetch(const void*) noexcept {}
inline void dcfetch_block(const void*, size_t) noexcept {}
template <typename... A>
inline void l2pref(A&&...) noexcept {}

#endif  // OPGEN_HTP_INTRINSICS_H
