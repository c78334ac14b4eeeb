using System.Runtime.InteropServices;

namespace Reader.CardFace.Interop.Tesseract;

/// <summary>
/// The C API of libtesseract.so.5 (tesseract/capi.h), only what a single-line read needs. Every native object lives
/// in a SafeHandle (<see cref="SafeTessBaseApiHandle"/>, <see cref="SafeTessResultIteratorHandle"/>,
/// <see cref="SafeTessTextHandle"/>); strings go in as NUL-terminated UTF-8.
/// </summary>
internal static unsafe partial class TesseractNative
{
    internal const string Library = "libtesseract.so.5";

    /// <summary>TessOcrEngineMode OEM_LSTM_ONLY.</summary>
    internal const int OemLstmOnly = 1;

    /// <summary>TessPageSegMode PSM_SINGLE_LINE.</summary>
    internal const int PsmSingleLine = 7;

    /// <summary>TessPageIteratorLevel RIL_SYMBOL.</summary>
    internal const int RilSymbol = 4;

    [LibraryImport(Library)]
    internal static partial nint TessVersion();

    [LibraryImport(Library)]
    internal static partial SafeTessBaseApiHandle TessBaseAPICreate();

    [LibraryImport(Library)]
    internal static partial void TessBaseAPIDelete(nint handle);

    [LibraryImport(Library)]
    internal static partial int TessBaseAPIInit2(SafeTessBaseApiHandle handle, byte* datapath, byte* language, int oem);

    [LibraryImport(Library)]
    internal static partial int TessBaseAPISetVariable(SafeTessBaseApiHandle handle, byte* name, byte* value);

    [LibraryImport(Library)]
    internal static partial void TessBaseAPISetPageSegMode(SafeTessBaseApiHandle handle, int mode);

    [LibraryImport(Library)]
    internal static partial void TessBaseAPISetImage(SafeTessBaseApiHandle handle, byte* imagedata, int width, int height, int bytesPerPixel, int bytesPerLine);

    [LibraryImport(Library)]
    internal static partial void TessBaseAPISetSourceResolution(SafeTessBaseApiHandle handle, int ppi);

    [LibraryImport(Library)]
    internal static partial int TessBaseAPIRecognize(SafeTessBaseApiHandle handle, nint monitor);

    [LibraryImport(Library)]
    internal static partial void TessBaseAPIClear(SafeTessBaseApiHandle handle);

    [LibraryImport(Library)]
    internal static partial SafeTessResultIteratorHandle TessBaseAPIGetIterator(SafeTessBaseApiHandle handle);

    [LibraryImport(Library)]
    internal static partial void TessResultIteratorDelete(nint iterator);

    [LibraryImport(Library)]
    internal static partial int TessResultIteratorNext(SafeTessResultIteratorHandle iterator, int level);

    [LibraryImport(Library)]
    internal static partial SafeTessTextHandle TessResultIteratorGetUTF8Text(SafeTessResultIteratorHandle iterator, int level);

    [LibraryImport(Library)]
    internal static partial float TessResultIteratorConfidence(SafeTessResultIteratorHandle iterator, int level);

    [LibraryImport(Library)]
    internal static partial void TessDeleteText(nint text);
}
