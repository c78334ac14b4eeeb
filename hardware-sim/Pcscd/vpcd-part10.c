/*
 * vpcd-part10: the vsmartcard vpcd reader driver, plus the PC/SC part 10 answers a CCID contactless reader gives.
 *
 * Debian's vpcd 3.3 answers every SCardControl with "IFDHControl not supported", so middleware (OpenSC, our
 * client) cannot learn that the reader carries extended APDUs (upstream vpcd added FEATURE_GET_TLV_PROPERTIES
 * in 2023). This driver loads the real vpcd and forwards every call to it, except two control codes:
 *   CM_IOCTL_GET_FEATURE_REQUEST      -> FEATURE_GET_TLV_PROPERTIES (0x12) at control code 0x42330012 (libccid's)
 *   0x42330012                        -> dwMaxAPDUDataSize (tag 0x0A), 4 bytes little-endian
 * READER_VPCD_MAX_APDU_DATA lists the value per slot ("65536,none"): a number is advertised, "none" (or a slot
 * past the list when the list ends in "none") behaves as plain vpcd. Default: 65536 on every slot.
 * READER_VPCD_DRIVER names the real driver (default /usr/lib/pcsc/drivers/serial/libifdvpcd.so).
 *
 * Built by hardware-sim/Pcscd/PcscdInstance.cs with: cc -shared -fPIC -O2 -o vpcd-part10.so vpcd-part10.c -ldl
 */
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef unsigned long DWORD;
typedef DWORD *PDWORD;
typedef long RESPONSECODE;
typedef unsigned char UCHAR;
typedef UCHAR *PUCHAR;
typedef char *LPSTR;
typedef struct { DWORD Protocol; DWORD Length; } SCARD_IO_HEADER, *PSCARD_IO_HEADER;

#define IFD_SUCCESS 0
#define IFD_ERROR_NOT_SUPPORTED 606
#define IFD_COMMUNICATION_ERROR 612
#define IFD_ERROR_INSUFFICIENT_BUFFER 618

#define CM_IOCTL_GET_FEATURE_REQUEST (0x42000000UL + 3400)
#define FEATURE_GET_TLV_PROPERTIES 0x12
#define IOCTL_FEATURE_GET_TLV_PROPERTIES (0x42000000UL + 0x330000UL + FEATURE_GET_TLV_PROPERTIES)
#define PCSCv2_PART10_PROPERTY_dwMaxAPDUDataSize 10 /* reader.h: decimal 10 */
#define MAX_SLOTS 16

static void *real;
static pthread_once_t once = PTHREAD_ONCE_INIT;
static long max_apdu[MAX_SLOTS]; /* -1: plain vpcd (no part 10) */

static RESPONSECODE (*real_create_by_name)(DWORD, LPSTR);
static RESPONSECODE (*real_create)(DWORD, DWORD);
static RESPONSECODE (*real_close)(DWORD);
static RESPONSECODE (*real_get_capabilities)(DWORD, DWORD, PDWORD, PUCHAR);
static RESPONSECODE (*real_set_capabilities)(DWORD, DWORD, DWORD, PUCHAR);
static RESPONSECODE (*real_set_protocol)(DWORD, DWORD, UCHAR, UCHAR, UCHAR, UCHAR);
static RESPONSECODE (*real_power)(DWORD, DWORD, PUCHAR, PDWORD);
static RESPONSECODE (*real_transmit)(DWORD, SCARD_IO_HEADER, PUCHAR, DWORD, PUCHAR, PDWORD, PSCARD_IO_HEADER);
static RESPONSECODE (*real_control)(DWORD, DWORD, PUCHAR, DWORD, PUCHAR, DWORD, PDWORD);
static RESPONSECODE (*real_presence)(DWORD);

static void load(void)
{
    const char *path = getenv("READER_VPCD_DRIVER");
    const char *list = getenv("READER_VPCD_MAX_APDU_DATA");
    long last = 65536;
    int slot = 0;

    real = dlopen(path && *path ? path : "/usr/lib/pcsc/drivers/serial/libifdvpcd.so", RTLD_NOW | RTLD_LOCAL);
    if (!real) {
        fprintf(stderr, "vpcd-part10: %s\n", dlerror());
        return;
    }
    *(void **)&real_create_by_name = dlsym(real, "IFDHCreateChannelByName");
    *(void **)&real_create = dlsym(real, "IFDHCreateChannel");
    *(void **)&real_close = dlsym(real, "IFDHCloseChannel");
    *(void **)&real_get_capabilities = dlsym(real, "IFDHGetCapabilities");
    *(void **)&real_set_capabilities = dlsym(real, "IFDHSetCapabilities");
    *(void **)&real_set_protocol = dlsym(real, "IFDHSetProtocolParameters");
    *(void **)&real_power = dlsym(real, "IFDHPowerICC");
    *(void **)&real_transmit = dlsym(real, "IFDHTransmitToICC");
    *(void **)&real_control = dlsym(real, "IFDHControl");
    *(void **)&real_presence = dlsym(real, "IFDHICCPresence");

    while (list && *list && slot < MAX_SLOTS) {
        char *end;
        if (strncmp(list, "none", 4) == 0) {
            last = -1;
            end = (char *)list + 4;
        } else {
            last = strtol(list, &end, 10);
            if (end == list)
                break;
        }
        max_apdu[slot++] = last;
        list = *end == ',' ? end + 1 : end;
    }
    while (slot < MAX_SLOTS)
        max_apdu[slot++] = last;
}

static int ready(void)
{
    pthread_once(&once, load);
    return real != NULL;
}

RESPONSECODE IFDHCreateChannelByName(DWORD Lun, LPSTR DeviceName)
{
    return ready() && real_create_by_name ? real_create_by_name(Lun, DeviceName) : IFD_COMMUNICATION_ERROR;
}

RESPONSECODE IFDHCreateChannel(DWORD Lun, DWORD Channel)
{
    return ready() && real_create ? real_create(Lun, Channel) : IFD_COMMUNICATION_ERROR;
}

RESPONSECODE IFDHCloseChannel(DWORD Lun)
{
    return ready() && real_close ? real_close(Lun) : IFD_COMMUNICATION_ERROR;
}

RESPONSECODE IFDHGetCapabilities(DWORD Lun, DWORD Tag, PDWORD Length, PUCHAR Value)
{
    return ready() && real_get_capabilities ? real_get_capabilities(Lun, Tag, Length, Value) : IFD_ERROR_NOT_SUPPORTED;
}

RESPONSECODE IFDHSetCapabilities(DWORD Lun, DWORD Tag, DWORD Length, PUCHAR Value)
{
    return ready() && real_set_capabilities ? real_set_capabilities(Lun, Tag, Length, Value) : IFD_ERROR_NOT_SUPPORTED;
}

RESPONSECODE IFDHSetProtocolParameters(DWORD Lun, DWORD Protocol, UCHAR Flags, UCHAR PTS1, UCHAR PTS2, UCHAR PTS3)
{
    return ready() && real_set_protocol ? real_set_protocol(Lun, Protocol, Flags, PTS1, PTS2, PTS3) : IFD_ERROR_NOT_SUPPORTED;
}

RESPONSECODE IFDHPowerICC(DWORD Lun, DWORD Action, PUCHAR Atr, PDWORD AtrLength)
{
    return ready() && real_power ? real_power(Lun, Action, Atr, AtrLength) : IFD_COMMUNICATION_ERROR;
}

RESPONSECODE IFDHTransmitToICC(DWORD Lun, SCARD_IO_HEADER SendPci, PUCHAR TxBuffer, DWORD TxLength, PUCHAR RxBuffer, PDWORD RxLength, PSCARD_IO_HEADER RecvPci)
{
    return ready() && real_transmit ? real_transmit(Lun, SendPci, TxBuffer, TxLength, RxBuffer, RxLength, RecvPci) : IFD_COMMUNICATION_ERROR;
}

RESPONSECODE IFDHICCPresence(DWORD Lun)
{
    return ready() && real_presence ? real_presence(Lun) : IFD_COMMUNICATION_ERROR;
}

RESPONSECODE IFDHControl(DWORD Lun, DWORD dwControlCode, PUCHAR TxBuffer, DWORD TxLength, PUCHAR RxBuffer, DWORD RxLength, PDWORD pdwBytesReturned)
{
    long advertised;

    if (!ready())
        return IFD_COMMUNICATION_ERROR;
    advertised = max_apdu[(Lun & 0xFFFF) % MAX_SLOTS];
    if (advertised >= 0 && dwControlCode == CM_IOCTL_GET_FEATURE_REQUEST) {
        DWORD code = IOCTL_FEATURE_GET_TLV_PROPERTIES;
        if (RxLength < 6)
            return IFD_ERROR_INSUFFICIENT_BUFFER;
        RxBuffer[0] = FEATURE_GET_TLV_PROPERTIES;
        RxBuffer[1] = 4;
        RxBuffer[2] = (UCHAR)(code >> 24);
        RxBuffer[3] = (UCHAR)(code >> 16);
        RxBuffer[4] = (UCHAR)(code >> 8);
        RxBuffer[5] = (UCHAR)code;
        *pdwBytesReturned = 6;
        return IFD_SUCCESS;
    }
    if (advertised >= 0 && dwControlCode == IOCTL_FEATURE_GET_TLV_PROPERTIES) {
        if (RxLength < 6)
            return IFD_ERROR_INSUFFICIENT_BUFFER;
        RxBuffer[0] = PCSCv2_PART10_PROPERTY_dwMaxAPDUDataSize;
        RxBuffer[1] = 4;
        RxBuffer[2] = (UCHAR)advertised;
        RxBuffer[3] = (UCHAR)(advertised >> 8);
        RxBuffer[4] = (UCHAR)(advertised >> 16);
        RxBuffer[5] = (UCHAR)(advertised >> 24);
        *pdwBytesReturned = 6;
        return IFD_SUCCESS;
    }
    return real_control ? real_control(Lun, dwControlCode, TxBuffer, TxLength, RxBuffer, RxLength, pdwBytesReturned) : IFD_ERROR_NOT_SUPPORTED;
}
