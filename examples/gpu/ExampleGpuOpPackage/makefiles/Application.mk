# opgen-owned file, generated for op package ExampleGpuOpPackage (GPU) from ExampleGpuOpPackage.xml. opgen regenerates it; edits are detected and refused.
#
# ndk-build application settings for op package ExampleGpuOpPackage.
APP_ABI := arm64-v8a
APP_STL := c++_shared
APP_PLATFORM := android-21
APP_CPPFLAGS += -std=c++17 -O3 -fvisibility=hidden -DQNN_API="__attribute__((visibility(\"default\")))"
APP_LDFLAGS += -lc -lm -ldl
