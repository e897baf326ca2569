// OpenCL kernel of op Axpy in op package ExampleGpuOpPackage.
// This file is yours: opgen created it once and never overwrites it (only -f/--force-generation
// does, after backing it up). The build embeds it in libExampleGpuOpPackage.so as source text; the
// GPU backend compiles it for the device. Launch settings are in src/ops/Axpy.cpp.
//
// Arguments, bound in this order by default:
//   in_0: input 'in[0]' (FLOAT_32; rank ND)
//   in_1: input 'in[1]' (FLOAT_32; rank ND)
//   out_0: output 'out[0]' (FLOAT_32; rank ND)
//   alpha: parameter 'alpha' (FLOAT_32; rank SCALAR)
// Work items: one per element of out[0] in one dimension, so get_global_id(0) is the
// flat (row-major) index of the element to compute.

__kernel void Axpy(
    __global const float* in_0,
    __global const float* in_1,
    __global float* out_0,
    float alpha) {
  const size_t i = get_global_id(0);
  out_0[i] = alpha * in_0[i] + in_1[i];
}
