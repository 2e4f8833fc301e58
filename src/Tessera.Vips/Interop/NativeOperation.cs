using System.Runtime.InteropServices;

namespace Tessera.Vips.Interop;

/// <summary>
/// The generic, varargs-free call of a libvips operation: <c>vips_operation_new</c>, one GObject property per argument
/// (typed from the operation's own argument table), <c>vips_cache_operation_build</c>, read the outputs, unref.
/// </summary>
internal static unsafe class NativeOperation
{
    // VipsArgumentClass.flags sits after the GParamSpec pointer and the object-class pointer.
    private const int ArgumentClassFlagsOffset = 16;

    // GParamSpec.value_type sits after g_type_instance, name and flags (padded to 8).
    private const int ParamSpecValueTypeOffset = 24;

    private const int ArgumentOutput = 32;

    /// <summary>Operations whose build compiles liborc vector programs (directly or through the operations they build).</summary>
    private static readonly HashSet<string> CompilesVectorCode = new(StringComparer.Ordinal)
    {
        "resize", "reduce", "reducev", "reduceh", "shrink", "shrinkv", "thumbnail", "thumbnail_image", "thumbnail_buffer",
        "conv", "convi", "convf", "convsep", "compass", "gaussblur", "sharpen", "morph", "rank", "smartcrop",
    };


    private static readonly Lazy<KnownTypes> Types = new(() => new KnownTypes(
        VipsNative.vips_image_get_type(),
        VipsNative.vips_blob_get_type(),
        VipsNative.vips_array_double_get_type(),
        VipsNative.vips_array_int_get_type(),
        VipsNative.vips_array_image_get_type(),
        VipsNative.vips_ref_string_get_type()));

    /// <summary>Runs <paramref name="name"/> with <paramref name="inputs"/> and returns the outputs named, in order.</summary>
    /// <exception cref="VipsException">The operation does not exist, an argument is unknown or of the wrong kind, or it failed.</exception>
    public static object?[] Run(string name, ReadOnlySpan<VipsArg> inputs, ReadOnlySpan<string> outputs)
    {
        VipsRuntime.Initialize();
        nint op;
        fixed (byte* n = Utf8.Z(name))
        {
            op = VipsNative.vips_operation_new(n);
        }

        if (op == 0)
        {
            throw new VipsException($"libvips has no operation \"{name}\"", VipsRuntime.TakeError());
        }

        try
        {
            foreach (var input in inputs)
            {
                if (input.Value is not null)
                {
                    SetInput(op, name, input);
                }
            }

            nint built;
            if (CompilesVectorCode.Contains(name))
            {
                // These operations compile liborc programs while they are built, and liborc's code allocator is not
                // safe to use from several threads (under load: segfaults inside liborc, glibc heap corruption).
                lock (VectorCode.Lock)
                {
                    built = VipsNative.vips_cache_operation_build(op);
                }
            }
            else
            {
                built = VipsNative.vips_cache_operation_build(op);
            }

            if (built == 0)
            {
                lock (VectorCode.Lock)
                {
                    VipsNative.vips_object_unref_outputs(op);
                }

                throw new VipsException($"{name} failed", VipsRuntime.TakeError());
            }

            // Build hands back a new reference (possibly to a cached twin): drop ours on the original.
            Unref(op);
            op = built;

            var results = new object?[outputs.Length];
            try
            {
                for (var i = 0; i < outputs.Length; i++)
                {
                    results[i] = GetOutput(op, name, outputs[i]);
                }
            }
            catch
            {
                foreach (var r in results)
                {
                    (r as IDisposable)?.Dispose();
                }

                throw;
            }

            lock (VectorCode.Lock)
            {
                VipsNative.vips_object_unref_outputs(op);
            }

            return results;
        }
        finally
        {
            Unref(op);
        }
    }

    /// <summary>Drops a reference; the last one frees the operation and any liborc program it compiled.</summary>
    private static void Unref(nint obj)
    {
        lock (VectorCode.Lock)
        {
            GObjectNative.g_object_unref(obj);
        }
    }

    private static (nuint Type, int Flags) Describe(nint op, string operation, string argument)
    {
        nint pspec, argClass, argInstance;
        int rc;
        fixed (byte* a = Utf8.Z(argument))
        {
            rc = VipsNative.vips_object_get_argument(op, a, &pspec, &argClass, &argInstance);
        }

        if (rc != 0)
        {
            VipsRuntime.TakeError();
            throw new VipsException($"libvips operation \"{operation}\" has no argument \"{argument}\"");
        }

        return (*(nuint*)(pspec + ParamSpecValueTypeOffset), *(int*)(argClass + ArgumentClassFlagsOffset));
    }

    private static void SetInput(nint op, string operation, VipsArg arg)
    {
        var (type, flags) = Describe(op, operation, arg.Name);
        if ((flags & ArgumentOutput) != 0)
        {
            throw new VipsException($"\"{arg.Name}\" is an output of \"{operation}\", not an input");
        }

        var value = default(GValue);
        GObjectNative.g_value_init(&value, type);
        try
        {
            Assign(&value, type, operation, arg);
            fixed (byte* n = Utf8.Z(arg.Name))
            {
                GObjectNative.g_object_set_property(op, n, &value);
            }
        }
        finally
        {
            GObjectNative.g_value_unset(&value);
        }
    }

    private static void Assign(GValue* value, nuint type, string operation, VipsArg arg)
    {
        var known = Types.Value;
        var fundamental = GObjectNative.g_type_fundamental(type);
        var v = arg.Value!;
        switch (fundamental)
        {
            case GTypes.Boolean:
                GObjectNative.g_value_set_boolean(value, Convert.ToBoolean(v) ? 1 : 0);
                return;
            case GTypes.Int:
                GObjectNative.g_value_set_int(value, Convert.ToInt32(v));
                return;
            case GTypes.UInt:
                GObjectNative.g_value_set_uint(value, Convert.ToUInt32(v));
                return;
            case GTypes.Int64:
                GObjectNative.g_value_set_int64(value, Convert.ToInt64(v));
                return;
            case GTypes.UInt64:
                GObjectNative.g_value_set_uint64(value, Convert.ToUInt64(v));
                return;
            case GTypes.Double:
                GObjectNative.g_value_set_double(value, Convert.ToDouble(v));
                return;
            case GTypes.String:
                fixed (byte* s = Utf8.Z(Convert.ToString(v)!))
                {
                    GObjectNative.g_value_set_string(value, s);
                }

                return;
            case GTypes.Enum:
                GObjectNative.g_value_set_enum(value, EnumValue(type, operation, arg));
                return;
            case GTypes.Flags:
                GObjectNative.g_value_set_flags(value, Convert.ToUInt32(v));
                return;
        }

        if (v is NativeObject native)
        {
            // A libvips object made by the binding itself (a VipsSource): the caller keeps its reference.
            GObjectNative.g_value_set_object(value, native.Handle);
        }
        else if (type == known.Image)
        {
            var image = v as VipsImage ?? throw WrongKind(operation, arg, "an image");
            GObjectNative.g_value_set_object(value, image.Handle);
        }
        else if (type == known.ArrayDouble)
        {
            double[] array = v switch
            {
                double[] d => d,
                int[] ints => Array.ConvertAll(ints, i => (double)i),
                double d => [d],
                int i => [i],
                _ => throw WrongKind(operation, arg, "an array of numbers"),
            };
            fixed (double* p = array)
            {
                VipsNative.vips_value_set_array_double(value, p, array.Length);
            }
        }
        else if (type == known.ArrayInt)
        {
            int[] array = v switch
            {
                int[] ints => ints,
                int i => [i],
                _ => throw WrongKind(operation, arg, "an array of integers"),
            };
            fixed (int* p = array)
            {
                VipsNative.vips_value_set_array_int(value, p, array.Length);
            }
        }
        else if (type == known.ArrayImage)
        {
            var images = v as VipsImage[] ?? throw WrongKind(operation, arg, "an array of images");
            VipsNative.vips_value_set_array_image(value, images.Length);
            int n;
            var slots = VipsNative.vips_value_get_array_image(value, &n);
            for (var i = 0; i < images.Length; i++)
            {
                // The array owns a reference to each image it holds, released with the GValue.
                slots[i] = GObjectNative.g_object_ref(images[i].Handle);
            }
        }
        else if (type == known.Blob)
        {
            var bytes = v as byte[] ?? throw WrongKind(operation, arg, "bytes");
            nint blob;
            fixed (byte* p = bytes)
            {
                // A copy, so the blob owns its memory for as long as libvips keeps the image that reads it.
                blob = VipsNative.vips_blob_copy(p, (nuint)bytes.Length);
            }

            GObjectNative.g_value_set_boxed(value, blob);
            VipsNative.vips_area_unref(blob);
        }
        else
        {
            var typeName = Utf8.FromNative(GObjectNative.g_type_name(type));
            throw new VipsException($"Argument \"{arg.Name}\" of \"{operation}\" has type {typeName}, which the binding cannot set");
        }
    }

    private static int EnumValue(nuint type, string operation, VipsArg arg)
    {
        if (arg.Value is string nick)
        {
            int result;
            fixed (byte* domain = Utf8.Z(operation))
            fixed (byte* s = Utf8.Z(nick))
            {
                result = VipsNative.vips_enum_from_nick(domain, type, s);
            }

            if (result < 0)
            {
                throw new VipsException($"Expected a {Utf8.FromNative(GObjectNative.g_type_name(type))} nick for {arg.Name} but received \"{nick}\"", VipsRuntime.TakeError());
            }

            return result;
        }

        return Convert.ToInt32(arg.Value);
    }

    private static VipsException WrongKind(string operation, VipsArg arg, string expected) =>
        new($"Expected {expected} for argument \"{arg.Name}\" of \"{operation}\" but received {arg.Value?.GetType().Name ?? "null"}");

    private static object? GetOutput(nint op, string operation, string name)
    {
        var (type, _) = Describe(op, operation, name);
        var known = Types.Value;
        var value = default(GValue);
        GObjectNative.g_value_init(&value, type);
        try
        {
            fixed (byte* n = Utf8.Z(name))
            {
                GObjectNative.g_object_get_property(op, n, &value);
            }

            var fundamental = GObjectNative.g_type_fundamental(type);
            switch (fundamental)
            {
                case GTypes.Boolean:
                    return GObjectNative.g_value_get_boolean(&value) != 0;
                case GTypes.Int:
                    return GObjectNative.g_value_get_int(&value);
                case GTypes.Double:
                    return GObjectNative.g_value_get_double(&value);
                case GTypes.Enum:
                    return GObjectNative.g_value_get_enum(&value);
                case GTypes.String:
                    return Utf8.FromNative(GObjectNative.g_value_get_string(&value));
            }

            if (type == known.Image)
            {
                // Borrowed from the GValue: take our own reference before it is unset.
                var image = GObjectNative.g_value_get_object(&value);
                return image == 0 ? null : new VipsImage(GObjectNative.g_object_ref(image));
            }

            if (type == known.Blob)
            {
                var blob = GObjectNative.g_value_get_boxed(&value);
                if (blob == 0)
                {
                    return null;
                }

                nuint length;
                var data = VipsNative.vips_blob_get(blob, &length);
                return new ReadOnlySpan<byte>(data, checked((int)length)).ToArray();
            }

            if (type == known.ArrayDouble)
            {
                int count;
                var p = VipsNative.vips_value_get_array_double(&value, &count);
                return p == null ? [] : new ReadOnlySpan<double>(p, count).ToArray();
            }

            if (type == known.ArrayInt)
            {
                int count;
                var p = VipsNative.vips_value_get_array_int(&value, &count);
                return p == null ? [] : new ReadOnlySpan<int>(p, count).ToArray();
            }

            throw new VipsException($"Output \"{name}\" of \"{operation}\" has type {Utf8.FromNative(GObjectNative.g_type_name(type))}, which the binding cannot read");
        }
        finally
        {
            GObjectNative.g_value_unset(&value);
        }
    }

    private sealed record KnownTypes(nuint Image, nuint Blob, nuint ArrayDouble, nuint ArrayInt, nuint ArrayImage, nuint RefString);
}
