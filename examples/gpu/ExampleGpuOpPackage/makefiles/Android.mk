# opgen-owned file, generated for op package ExampleGpuOpPackage (GPU) from ExampleGpuOpPackage.xml. opgen regenerates it; edits are detected and refused.
#
# ndk-build script for op package ExampleGpuOpPackage (run through `make gpu_android`, which first
# embeds the kernels in obj/aarch64-android/kernels).
LOCAL_PATH := $(call my-dir)
SUPPORTED_TARGET_ABI := arm64-v8a x86 x86_64

ifeq ($(filter $(TARGET_ARCH_ABI),$(SUPPORTED_TARGET_ABI)),)
$(error Unsupported TARGET_ARCH_ABI '$(TARGET_ARCH_ABI)': use one of $(SUPPORTED_TARGET_ABI))
endif
ifneq ($(APP_STL),c++_shared)
$(error APP_STL must be c++_shared)
endif

ifneq ($(QNN_SDK_ROOT),)
QNN_INCLUDE := $(QNN_SDK_ROOT)/include/QNN
else
QNN_INCLUDE := $(LOCAL_PATH)/../include/QNN
endif

KERNEL_INCLUDE := $(LOCAL_PATH)/../obj/aarch64-android
ifeq ($(wildcard $(KERNEL_INCLUDE)/kernels/*.cl.inc),)
$(error The embedded kernels are missing: build with `make gpu_android`, which generates them)
endif

include $(CLEAR_VARS)
LOCAL_MODULE := ExampleGpuOpPackage
LOCAL_C_INCLUDES := $(QNN_INCLUDE) $(LOCAL_PATH)/../include $(LOCAL_PATH)/../src $(KERNEL_INCLUDE)
LOCAL_SRC_FILES := $(subst makefiles/,,$(sort $(wildcard $(LOCAL_PATH)/../src/*.cpp \
                   $(LOCAL_PATH)/../src/ops/*.cpp $(LOCAL_PATH)/../src/utils/*.cpp)))
LOCAL_CPPFLAGS += -Wall -Wextra
LOCAL_LDLIBS := -lc -lm -ldl
include $(BUILD_SHARED_LIBRARY)
