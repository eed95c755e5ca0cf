build/obj/main.o: src/main.c src/cli/cli.h src/cli/commands.h \
 src/util/err.h src/util/exitcodes.h
src/cli/cli.h:
src/cli/commands.h:
src/util/err.h:
src/util/exitcodes.h:
