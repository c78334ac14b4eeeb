/*
 * vpcd-part10: the vsmartcard vpcd reader driver, plus the PC/SC part 10 answers a CCID contactless reader gives.
 *
 * Debian's vpcd 3.3 answers every SCardControl with "IFDHControl not supported", so middleware (OpenSC, our
 * client) cannot learn that the reader carries extended APDUs (upstream vpcd added FEATURE_GET_TLV_PROPERTIES
 * in 2023). This driver loads the real vpcd and forwards every call to it, except two control codes:
 *   CM_IOCTL_GET_FEATURE_REQUEST      -> FEATURE_GET_TLV_PROPERTIES (0x12) at control code 0x42330012 (libccid's)
 *   0x42330012                        -> dwMaxAPDUDataSize (tag 0x0A), 4 bytes little-endian
 * READER_VPCD_MAX_APDU_DATA lists the value per slot ("65536,none"): a number is advertised, "none" (or a slot
 * past the list when the list ends in "none") answers no part 10 request, as plain vpcd (the event poller and the
 * per-slot lock below still apply to every slot). Default: 65536 on every slot.
 * READER_VPCD_DRIVER names the real driver (default /usr/lib/pcsc/drivers/serial/libifdvpcd.so).
 *
 * Card events: a CCID reader with an interrupt endpoint tells pcscd of an insertion or a removal at once (libccid's
 * polling thread, TAG_IFD_POLLING_THREAD_WITH_TIMEOUT); plain vpcd has none, so pcscd falls back to asking every
 * 400 ms, and each placed card and each removal waited up to 400 ms for nothing a real reader would make it wait
 * for. This driver gives pcscd that polling thread: it checks the virtual card's presence every READER_VPCD_POLL_MS
 * (default 20; 0 leaves pcscd's 400 ms polling) and returns as soon as it changes, when pcscd's timeout ends, or
 * when pcscd asks the thread to stop (TAG_IFD_STOP_POLLING_THREAD).
 * pcscd calls a driver under its reader mutex except for that polling function, and vpcd is not safe for two
 * threads at once: Debian's vpcd 3.3 is built without pthreads, so its io lock is a no-op (libifdvpcd.so imports no
 * pthread_mutex_*), and even upstream vicc_connect/vicc_eject touch the card's socket outside that lock. A presence
 * check (an ATR request) sent while an APDU was on the wire read the APDU's answer as the ATR, or the reverse, and
 * pcscd saw a card removed mid-read. So every call into vpcd for a slot, the poller's presence checks included, runs
 * under this driver's lock for that slot.
 *
 * Built by hardware-sim/Pcscd/PcscdInstance.cs with: cc -shared -fPIC -O2 -o vpcd-part10.so vpcd-part10.c -ldl
 */
#include <dlfcn.h>
#include <pthread.h>
#include <time.h>
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
#define IFD_ICC_PRESENT 615

#define TAG_IFD_STOP_POLLING_THREAD 0x0FB2
#define TAG_IFD_POLLING_THREAD_WITH_TIMEOUT 0x0FB3

#define CM_IOCTL_GET_FEATURE_REQUEST (0x42000000UL + 3400)
#define FEATURE_GET_TLV_PROPERTIES 0x12
#define IOCTL_FEATURE_GET_TLV_PROPERTIES (0x42000000UL + 0x330000UL + FEATURE_GET_TLV_PROPERTIES)
#define PCSCv2_PART10_PROPERTY_dwMaxAPDUDataSize 10 /* reader.h: decimal 10 */
#define MAX_SLOTS 16

static void *real;
static pthread_once_t once = PTHREAD_ONCE_INIT;
static long max_apdu[MAX_SLOTS]; /* -1: plain vpcd (no part 10) */
static long poll_ms = 20;          /* 0: no polling thread (pcscd polls every 400 ms) */
static volatile int stop_requested[MAX_SLOTS];
static volatile int seen_present[MAX_SLOTS]; /* what pcscd's event thread last learned from IFDHICCPresence */
static pthread_t event_thread[MAX_SLOTS];
static volatile int has_event_thread[MAX_SLOTS];
static pthread_mutex_t slot_lock[MAX_SLOTS]; /* one caller at a time inside vpcd per slot (vpcd's ctx[Lun & 0xFFFF]) */

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
    const char *poll = getenv("READER_VPCD_POLL_MS");
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
    for (slot = 0; slot < MAX_SLOTS; slot++) {
        pthread_mutexattr_t recursive; /* vpcd calls its own entry points (power up asks for the ATR) */
        pthread_mutexattr_init(&recursive);
        pthread_mutexattr_settype(&recursive, PTHREAD_MUTEX_RECURSIVE);
        pthread_mutex_init(&slot_lock[slot], &recursive);
        pthread_mutexattr_destroy(&recursive);
    }
    if (poll && *poll) {
        char *end = NULL;
        long value = strtol(poll, &end, 10);
        /* Only a whole number in range is taken; anything else keeps the default (never silently 0 = off). */
        if (end != poll && *end == '\0' && value >= 0 && value <= 400)
            poll_ms = value;
    }
}

/* vpcd keeps one card connection per Lun & 0xFFFF (whatever the reader number in the high half). */
static unsigned slot_of(DWORD Lun)
{
    return (unsigned)(Lun & 0xFFFF) % MAX_SLOTS;
}

static void lock_slot(DWORD Lun)
{
    pthread_mutex_lock(&slot_lock[slot_of(Lun)]);
}

static RESPONSECODE unlock_slot(DWORD Lun, RESPONSECODE result)
{
    pthread_mutex_unlock(&slot_lock[slot_of(Lun)]);
    return result;
}

static RESPONSECODE locked_presence(DWORD Lun)
{
    lock_slot(Lun);
    return unlock_slot(Lun, real_presence(Lun));
}

static long now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000L + t.tv_nsec / 1000000L;
}

/* pcscd's event thread waits here between its own presence checks: back as soon as the card differs from what
 * pcscd last saw (not from a fresh look: a card taken between pcscd's check and this wait must still wake it). */
static RESPONSECODE wait_for_card_event(DWORD Lun, int timeout_ms)
{
    unsigned slot = slot_of(Lun);
    int present = seen_present[slot];
    long until = now_ms() + (timeout_ms > 0 ? timeout_ms : 0);
    struct timespec step = { poll_ms / 1000, (poll_ms % 1000) * 1000000L };

    event_thread[slot] = pthread_self();
    has_event_thread[slot] = 1;

    while ((locked_presence(Lun) == IFD_ICC_PRESENT) == present && now_ms() < until) {
        nanosleep(&step, NULL);
        if (stop_requested[slot]) {
            stop_requested[slot] = 0;
            break;
        }
    }
    return IFD_SUCCESS;
}

static RESPONSECODE stop_waiting(DWORD Lun)
{
    stop_requested[slot_of(Lun)] = 1;
    return IFD_SUCCESS;
}

static int ready(void)
{
    pthread_once(&once, load);
    return real != NULL;
}

RESPONSECODE IFDHCreateChannelByName(DWORD Lun, LPSTR DeviceName)
{
    if (!ready() || !real_create_by_name)
        return IFD_COMMUNICATION_ERROR;
    lock_slot(Lun);
    return unlock_slot(Lun, real_create_by_name(Lun, DeviceName));
}

RESPONSECODE IFDHCreateChannel(DWORD Lun, DWORD Channel)
{
    if (!ready() || !real_create)
        return IFD_COMMUNICATION_ERROR;
    lock_slot(Lun);
    return unlock_slot(Lun, real_create(Lun, Channel));
}

RESPONSECODE IFDHCloseChannel(DWORD Lun)
{
    if (!ready() || !real_close)
        return IFD_COMMUNICATION_ERROR;
    lock_slot(Lun);
    return unlock_slot(Lun, real_close(Lun));
}

RESPONSECODE IFDHGetCapabilities(DWORD Lun, DWORD Tag, PDWORD Length, PUCHAR Value)
{
    RESPONSECODE (*wait)(DWORD, int) = wait_for_card_event;
    RESPONSECODE (*stop)(DWORD) = stop_waiting;

    if (ready() && poll_ms > 0 && real_presence && (Tag == TAG_IFD_POLLING_THREAD_WITH_TIMEOUT || Tag == TAG_IFD_STOP_POLLING_THREAD)) {
        if (*Length < sizeof(void *))
            return IFD_ERROR_INSUFFICIENT_BUFFER;
        if (Tag == TAG_IFD_POLLING_THREAD_WITH_TIMEOUT)
            memcpy(Value, &wait, sizeof(wait));
        else
            memcpy(Value, &stop, sizeof(stop));
        *Length = sizeof(void *);
        return IFD_SUCCESS;
    }
    if (!ready() || !real_get_capabilities)
        return IFD_ERROR_NOT_SUPPORTED;
    lock_slot(Lun);
    return unlock_slot(Lun, real_get_capabilities(Lun, Tag, Length, Value));
}

RESPONSECODE IFDHSetCapabilities(DWORD Lun, DWORD Tag, DWORD Length, PUCHAR Value)
{
    if (!ready() || !real_set_capabilities)
        return IFD_ERROR_NOT_SUPPORTED;
    lock_slot(Lun);
    return unlock_slot(Lun, real_set_capabilities(Lun, Tag, Length, Value));
}

RESPONSECODE IFDHSetProtocolParameters(DWORD Lun, DWORD Protocol, UCHAR Flags, UCHAR PTS1, UCHAR PTS2, UCHAR PTS3)
{
    if (!ready() || !real_set_protocol)
        return IFD_ERROR_NOT_SUPPORTED;
    lock_slot(Lun);
    return unlock_slot(Lun, real_set_protocol(Lun, Protocol, Flags, PTS1, PTS2, PTS3));
}

RESPONSECODE IFDHPowerICC(DWORD Lun, DWORD Action, PUCHAR Atr, PDWORD AtrLength)
{
    if (!ready() || !real_power)
        return IFD_COMMUNICATION_ERROR;
    lock_slot(Lun);
    return unlock_slot(Lun, real_power(Lun, Action, Atr, AtrLength));
}

RESPONSECODE IFDHTransmitToICC(DWORD Lun, SCARD_IO_HEADER SendPci, PUCHAR TxBuffer, DWORD TxLength, PUCHAR RxBuffer, PDWORD RxLength, PSCARD_IO_HEADER RecvPci)
{
    if (!ready() || !real_transmit)
        return IFD_COMMUNICATION_ERROR;
    lock_slot(Lun);
    return unlock_slot(Lun, real_transmit(Lun, SendPci, TxBuffer, TxLength, RxBuffer, RxLength, RecvPci));
}

RESPONSECODE IFDHICCPresence(DWORD Lun)
{
    RESPONSECODE presence = ready() && real_presence ? locked_presence(Lun) : IFD_COMMUNICATION_ERROR;
    unsigned slot = slot_of(Lun);

    /* Only the event thread's own look counts: SCardConnect's power-up checks presence too, from another thread. */
    if (!has_event_thread[slot] || pthread_equal(event_thread[slot], pthread_self()))
        seen_present[slot] = presence == IFD_ICC_PRESENT;
    return presence;
}

RESPONSECODE IFDHControl(DWORD Lun, DWORD dwControlCode, PUCHAR TxBuffer, DWORD TxLength, PUCHAR RxBuffer, DWORD RxLength, PDWORD pdwBytesReturned)
{
    long advertised;

    if (!ready())
        return IFD_COMMUNICATION_ERROR;
    advertised = max_apdu[slot_of(Lun)];
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
    if (!real_control)
        return IFD_ERROR_NOT_SUPPORTED;
    lock_slot(Lun);
    return unlock_slot(Lun, real_control(Lun, dwControlCode, TxBuffer, TxLength, RxBuffer, RxLength, pdwBytesReturned));
}
